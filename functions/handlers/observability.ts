// The logger, metrics and tracer, created once and imported by the handler wrappers and the Lambda composition root.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { METRICS_NAMESPACE } from '#app/business-events';

/** The deployment sets it per utility (lib/utility-function.ts), so two utilities in one account never mix. */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'utilitydesk';

export const logger = new Logger({ serviceName });

/** Business events, in the namespace the dashboard and alarms read (POWERTOOLS_METRICS_NAMESPACE overrides). */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName,
});

/**
 * X-Ray, in Lambda only. Lambda sets AWS_LAMBDA_FUNCTION_NAME; the local runtime, the tests and `cdk synth`
 * do not, and there the tracer's package is never even loaded: the X-Ray SDK it imports installs an async hook
 * on load that makes every promise of the process many times slower (docs/performance.md). In Lambda the
 * tracer still checks for itself (AWS_EXECUTION_ENV, SAM local) and obeys POWERTOOLS_TRACE_ENABLED=false.
 */
const tracingWanted =
  process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined &&
  process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';

export const tracer: Tracer | undefined = tracingWanted
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName })
  : undefined;

/**
 * The tracing side of every wrapper (none outside Lambda): a subsegment per invocation, with cold start and
 * service annotations and any error. Responses are left out of the trace: they carry bills, phones and tokens.
 */
export function tracing<E, R>(): MiddlewareObj<E, R, Error, Context>[] {
  return tracer ? [captureLambdaHandler(tracer, { captureResponse: false })] : [];
}

/** An AWS SDK v3 client whose calls become X-Ray subsegments in Lambda; returned untouched elsewhere. */
export function traced<C>(client: C): C {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * The metrics side of every wrapper. Business events are single metrics, written the moment they happen, so
 * nothing waits for the end of the invocation; Powertools' logMetrics middleware would flush an empty buffer
 * on every invocation and log a warning each time. This emits the ColdStart metric (by function) on a cold
 * start, and publishes at the end only what some code buffered with metrics.addMetric(), if anything.
 */
export function businessMetrics<E, R>(): MiddlewareObj<E, R, Error, Context> {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      metrics.captureColdStartMetric(request.context.functionName);
    },
    after: flush,
    onError: flush,
  };
}
