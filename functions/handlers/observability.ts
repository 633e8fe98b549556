// The logger and metrics, created once and imported by every handler.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The service every function names (POWERTOOLS_SERVICE_NAME, set by the CDK stack): a dimension of every metric. */
export const SERVICE_NAME = 'utilitydesk';
/** Where business events are counted in CloudWatch, and where the stack's alarms read them. */
export const METRICS_NAMESPACE = 'UtilityDesk';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME;

export const logger = new Logger({ serviceName });

/** Business events, in the namespace the dashboard and alarms read (POWERTOOLS_METRICS_NAMESPACE overrides). */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName,
});
