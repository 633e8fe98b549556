// The logger and metrics, created once and imported by every handler.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'utilitydesk';

export const logger = new Logger({ serviceName });

/** Business events, in the namespace the dashboard and alarms read (POWERTOOLS_METRICS_NAMESPACE overrides). */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'UtilityDesk',
  serviceName,
});
