// Outside Lambda (the local runtime, the tests, `cdk synth`) the X-Ray SDK is never loaded: it would slow every promise.
import { describe, expect, it } from 'vitest';

describe('tracing outside Lambda', () => {
  it('leaves the X-Ray SDK unloaded, so no async hook slows the local runtime, and traces nothing', async () => {
    // npm start runs every route and consumer in one process; the X-Ray SDK's async hook, installed when it
    // loads, made a promise-heavy loop over ten times slower there (docs/performance.md).
    await import('#handlers/http/routes');
    await import('#handlers/sqs/consumers');
    const { tracer, traced } = await import('#handlers/observability');

    expect((process as { namespaces?: Record<string, unknown> }).namespaces?.AWSXRay).toBeUndefined();
    expect(tracer).toBeUndefined();
    const client = { middlewareStack: {} };
    expect(traced(client)).toBe(client);
    // It loads every route and consumer module: seconds on a busy two-core machine, more than the default 5.
  }, 30_000);
});
