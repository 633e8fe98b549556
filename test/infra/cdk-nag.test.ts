// cdk-nag's AwsSolutions pack over each utility's whole app: no error may stay unacknowledged.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { availableUtilities, loadUtilityConfig } from '#config/load';
import type { UtilityConfig } from '#config/schema';
import { buildApp, cdkJsonContext, stackNames, type UtilityDeployment } from '#lib/app';
import { OUTBOUND_VARIANTS, withChannels, withExternalBilling } from '#test/support/configs';

/*
 * How the findings surface: cdk-nag 3 is a CDK policy-validation plugin. After synthesis, CDK runs it
 * (and its own CloudFormation checks), drops findings acknowledged with Validations.of().acknowledge(),
 * writes what is left to <outdir>/validation-report.json, and, if any error is left, throws from
 * app.synth() in an in-memory app (the CLI instead prints the report and exits non-zero).
 * The test reads the report, so a failure names each rule and construct rather than a bare throw.
 */
const reportSchema = z.object({
  pluginReports: z.array(
    z.object({
      pluginName: z.string(),
      violations: z.array(
        z.object({
          ruleName: z.string(),
          severity: z.string(),
          violatingConstructs: z.array(z.object({ constructPath: z.string() })),
        }),
      ),
    }),
  ),
});

interface Synthesis {
  /** Unacknowledged errors as "plugin rule at construct-path". */
  errors: string[];
  thrown: unknown;
  stackIds: string[];
}

function synthesizeWithChecks(
  config: UtilityConfig,
  alter?: (deployment: UtilityDeployment) => void,
): Synthesis {
  // Prepare: an in-memory app with cdk.json's flags and CDK's own template checks, as `cdk synth` runs it.
  const outdir = mkdtempSync(join(tmpdir(), 'utilitydesk-nag-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:appMode': 'inmemory' },
  });
  const deployment = buildApp({ app, config, deletionProtection: true });
  alter?.(deployment);

  // Act
  let thrown: unknown;
  let stackIds: string[] = [];
  try {
    stackIds = app.synth().stacks.map((stack) => stack.id);
  } catch (error) {
    thrown = error;
  }

  let raw: string;
  try {
    raw = readFileSync(join(outdir, VALIDATION_REPORT_FILE), 'utf8');
  } catch {
    throw thrown ?? new Error(`synth wrote no ${VALIDATION_REPORT_FILE}`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const report = reportSchema.parse(JSON.parse(raw));
  const errors = report.pluginReports.flatMap((plugin) =>
    plugin.violations
      .filter((violation) => violation.severity === 'error' || violation.severity === 'fatal')
      .flatMap((violation) =>
        violation.violatingConstructs.map(
          (c) => `${plugin.pluginName} ${violation.ruleName} at ${c.constructPath}`,
        ),
      ),
  );
  return { errors, thrown, stackIds };
}

/** Every acknowledgment in the tree: rule id -> reason, with the construct it sits on. */
function acknowledgments(scope: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  it('cover both demo utilities', () => {
    expect(availableUtilities()).toEqual(expect.arrayContaining(['seoul-water', 'tyumen-power']));
  });

  describe.each(availableUtilities())('for %s', (utility) => {
    it('leave no unacknowledged error, and the app synthesizes into its three stacks', () => {
      const { errors, thrown, stackIds } = synthesizeWithChecks(loadUtilityConfig(utility));

      expect(errors).toEqual([]);
      expect(thrown).toBeUndefined();
      const names = stackNames(utility);
      expect(stackIds.sort()).toEqual([names.api, names.data, names.monitoring].sort());
    });
  });

  // The demo utilities send through their domestic gateways; every other provider must pass as well.
  describe.each(Object.entries(OUTBOUND_VARIANTS))('with SMS sent through %s', (_name, outbound) => {
    it('leave no unacknowledged error', () => {
      const { errors, thrown } = synthesizeWithChecks(
        withChannels(loadUtilityConfig('tyumen-power'), outbound),
      );
      expect(errors).toEqual([]);
      expect(thrown).toBeUndefined();
    });
  });

  // The billing exchange bucket, its queue and the BillDrop function exist only with the external engine.
  describe.each(availableUtilities())(
    'for %s with its own billing system (billing.engine external)',
    (utility) => {
      it('leave no unacknowledged error', () => {
        const { errors, thrown } = synthesizeWithChecks(withExternalBilling(loadUtilityConfig(utility)));
        expect(errors).toEqual([]);
        expect(thrown).toBeUndefined();
      });
    },
  );

  // Without a custom domain CloudFront's default certificate is acknowledged (CFR4); with one, TLS 1.2 must hold.
  it('leave no unacknowledged error with the portal on a custom domain', () => {
    const config = loadUtilityConfig('seoul-water');
    const { errors, thrown } = synthesizeWithChecks({
      ...config,
      portal: {
        domain: {
          name: 'portal.arisu.example',
          certificateArn:
            'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7',
        },
      },
    });
    expect(errors).toEqual([]);
    expect(thrown).toBeUndefined();
  });

  it('catch an unacknowledged error (here: a secret without rotation) and fail the synth', () => {
    const { errors, thrown } = synthesizeWithChecks(loadUtilityConfig('seoul-water'), ({ data }) => {
      new Secret(data, 'Unrotated');
    });

    expect(errors).toEqual([
      expect.stringMatching(/^AwsSolutions AwsSolutions-SMG4 at .*\/Unrotated\/Resource$/),
    ]);
    expect(String(thrown)).toMatch(/AwsSolutions-SMG4/);
  });

  it('are acknowledged only with a reason that says why', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    buildApp({ app, config: loadUtilityConfig('seoul-water'), deletionProtection: true });

    const found = acknowledgments(app);

    expect(found.length).toBeGreaterThan(0);
    for (const { path, id, reason } of found) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(40);
    }
  });
});
