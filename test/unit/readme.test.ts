import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { generateDemoData } from '../../bin/local/demo-data.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');

describe('the README', () => {
  it('has the two quickstart lines, and CI runs the test line', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    expect(read('.ci/run')).toMatch(/^npm ci && npm test$/m);
  });

  // The machines run Node 20 but Lambda runs nodejs24.x: a behaviour change between the two majors would only
  // show in production unless CI runs the suite on the Lambda's major too.
  it("states the supported Node versions, and CI runs the whole suite again on the Lambda runtime's major", () => {
    const lambdaMajor = /Runtime\.NODEJS_(\d+)_X/.exec(read('lib/utility-function.ts'))?.[1];
    expect(lambdaMajor).toBe('24');
    const ci = read('.ci/run');
    expect(ci).toContain(`node-linux-$(node -p process.arch)`);
    expect(ci).toContain(`@${lambdaMajor}"`);
    expect(ci).toMatch(/^node node_modules\/vitest\/vitest\.mjs run$/m);
    expect(readme.replace(/\s+/g, ' ')).toContain(
      `Supported Node versions: 20 locally (\`npm start\`, \`npm test\`), ${lambdaMajor} in Lambda`,
    );
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(`^20.11.0 || ^${lambdaMajor}.0.0`);
  });

  it('names demo accounts and phones that npm start really seeds, on any date', () => {
    for (const utility of ['seoul-water', 'tyumen-power']) {
      for (const now of ['2026-12-16T01:00:00Z', '2027-07-01T00:00:00Z']) {
        const config = loadUtilityConfig(utility);
        const { showcase } = generateDemoData(config, new Date(now));
        // A utility with a messenger shows a fourth account, one whose notices fall back to SMS.
        expect(showcase).toHaveLength(config.channels.messenger.provider === 'none' ? 3 : 4);
        for (const account of showcase) {
          const row = `| ${utility} | \`${account.accountNumber}\` | \`${account.phones[0]}\` |`;
          expect(readme).toContain(row);
        }
      }
    }
    // Four demo years with their bills priced and due dates on a holiday calendar: seconds on a shared machine.
  }, 30_000);
});
