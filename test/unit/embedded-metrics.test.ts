// Business events in Lambda: CloudWatch embedded-metric-format lines, with the dimensions the alarms and dashboard read.
import 'aws-sdk-client-mock-vitest/extend';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedMetrics } from '#adapters/aws/embedded-metrics';
import { METRICS_NAMESPACE } from '#app/business-events';
import { loadUtilityConfig } from '#config/load';
import { httpEvent, lambdaContext } from '#test/support/http';

interface EmfDocument {
  _aws: {
    CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }>;
  };
  [key: string]: unknown;
}

/** Everything the process writes to stdout and stderr while `act` runs; EMF lines are parsed. */
async function captured(act: () => Promise<unknown> | unknown) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const emf = out
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as EmfDocument);
  return { emf, stderr: err.join('') };
}

beforeEach(() => {
  // The tests turn metrics off (vitest.config.ts); these check what Lambda writes, so they turn them on.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('business events as embedded metrics', () => {
  const serviceName = 'utilitydesk-seoul-water';

  it('publish an event without dimensions with the service dimension alone, which the ceiling alarm reads', async () => {
    const metrics = new EmbeddedMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName }));

    const { emf } = await captured(() => metrics.count('CodeSmsCeilingReached', {}));

    expect(emf).toHaveLength(1);
    expect(emf[0]?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'UtilityDesk',
        Dimensions: [['service']],
        Metrics: [{ Name: 'CodeSmsCeilingReached', Unit: 'Count' }],
      },
    ]);
    expect(emf[0]).toMatchObject({ service: serviceName, CodeSmsCeilingReached: 1 });
  });

  it('publish an event with its own dimensions beside the service, one line per event', async () => {
    const metrics = new EmbeddedMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName }));

    const { emf } = await captured(() => {
      metrics.count('CodeRefused', { reason: 'phone-limit' });
      metrics.count('CodeSent', { purpose: 'login' });
    });

    expect(emf.map((doc) => doc._aws.CloudWatchMetrics[0]?.Dimensions)).toEqual([
      [['service', 'reason']],
      [['service', 'purpose']],
    ]);
    expect(emf[0]).toMatchObject({ service: serviceName, reason: 'phone-limit', CodeRefused: 1 });
    expect(emf[1]).toMatchObject({ service: serviceName, purpose: 'login', CodeSent: 1 });
  });
});

describe('the Lambda wrapper', () => {
  const secrets = mockClient(SecretsManagerClient);

  beforeEach(() => {
    vi.resetModules();
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'x'.repeat(48) });
    vi.stubEnv('AWS_REGION', 'ap-northeast-2');
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'utilitydesk-seoul-water');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('TABLE_NAME', 'utilitydesk-seoul-water');
    vi.stubEnv('SIGNING_SECRET_ARN', 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:signing');
    vi.stubEnv('UTILITY_CONFIG_JSON', JSON.stringify(loadUtilityConfig('seoul-water')));
  });

  it('counts a cold start once per execution environment, by function, and writes nothing on a warm request', async () => {
    // An operator compares cold starts with latency; a warning line on every request would bury the logs.
    const { handler } = await import('#handlers/http/not-found');
    const invoke = () => handler(httpEvent({ method: 'GET', path: '/nowhere' }), lambdaContext('NotFound'));

    const cold = await captured(invoke);
    const warm = await captured(invoke);

    expect(cold.emf).toHaveLength(1);
    expect(cold.emf[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'function_name']]);
    expect(cold.emf[0]).toMatchObject({
      service: 'utilitydesk-seoul-water',
      function_name: 'NotFound',
      ColdStart: 1,
    });
    expect(warm.emf).toEqual([]);
    expect(cold.stderr + warm.stderr).not.toMatch(/No application metrics/);
  });
});
