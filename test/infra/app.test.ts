// What `cdk synth|deploy -c ...` chooses: which utility, whether its data is protected, who gets the alarms.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { cdkJsonContext, DEFAULT_UTILITY, readDeploymentContext, stackNames } from '#lib/app';
import { REPO_ROOT } from '#lib/utility-function';

describe('the deployment context', () => {
  it('deploys seoul-water with deletion protection when nothing is given', () => {
    expect(DEFAULT_UTILITY).toBe('seoul-water');
    expect(readDeploymentContext(new App())).toEqual({ utility: 'seoul-water', deletionProtection: true });
  });

  it('takes the utility and deletion protection from -c, where the CLI passes strings', () => {
    const app = new App({ context: { utility: 'tyumen-power', deletionProtection: 'false' } });

    expect(readDeploymentContext(app)).toEqual({ utility: 'tyumen-power', deletionProtection: false });
  });

  it('accepts booleans from cdk.json or cdk.context.json as well', () => {
    expect(
      readDeploymentContext(new App({ context: { deletionProtection: false } })).deletionProtection,
    ).toBe(false);
    expect(
      readDeploymentContext(new App({ context: { deletionProtection: 'true' } })).deletionProtection,
    ).toBe(true);
  });

  it('refuses a deletionProtection that is neither true nor false, rather than guessing', () => {
    const app = new App({ context: { deletionProtection: 'no' } });

    expect(() => readDeploymentContext(app)).toThrow(/deletionProtection must be true or false/);
  });

  it('takes the address to subscribe to the alarms from -c alarmEmail, and refuses one that is no address', () => {
    const app = new App({ context: { alarmEmail: 'ops@utility.example' } });
    expect(readDeploymentContext(app).alarmEmail).toBe('ops@utility.example');

    expect(() => readDeploymentContext(new App({ context: { alarmEmail: 'ops' } }))).toThrow(
      /alarmEmail must be an e-mail address/,
    );
  });

  it('names the stacks after the utility: a stateful Data stack, a stateless Api stack and its Monitoring', () => {
    expect(stackNames('tyumen-power')).toEqual({
      data: 'UtilityDesk-tyumen-power-Data',
      api: 'UtilityDesk-tyumen-power-Api',
      monitoring: 'UtilityDesk-tyumen-power-Monitoring',
    });
  });

  it('is run by cdk.json through tsx, with the recommended feature flags the tests share', () => {
    const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));

    expect(cdkJson.app).toBe('npx tsx bin/app.ts');
    expect(cdkJsonContext()).toEqual(cdkJson.context);
    expect(cdkJson.context['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
  });
});
