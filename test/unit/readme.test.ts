import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { generateDemoData } from '../../bin/local/demo-data.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('has the two quickstart lines, and CI runs the test line', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    expect(readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm ci && npm test$/m);
  });

  it('names demo accounts and phones that npm start really seeds, on any date', () => {
    for (const utility of ['seoul-water', 'tyumen-power']) {
      for (const now of ['2026-12-16T01:00:00Z', '2027-07-01T00:00:00Z']) {
        const { showcase } = generateDemoData(loadUtilityConfig(utility), new Date(now));
        expect(showcase).toHaveLength(3);
        for (const account of showcase) {
          const row = `| ${utility} | \`${account.accountNumber}\` | \`${account.phones[0]}\` |`;
          expect(readme).toContain(row);
        }
      }
    }
  });
});
