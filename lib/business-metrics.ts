// The business events of functions/app/business-events.ts as CloudWatch sees them, for alarms and the dashboard.
import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { type BusinessEvent, type EventDimensions, METRICS_NAMESPACE } from '#app/business-events';

export const BUSINESS_METRIC_PERIOD = Duration.minutes(5);

/**
 * An event as Powertools publishes it: a single metric carries the default dimension `service` beside the event's
 * own (test/unit/embedded-metrics.test.ts checks the EMF it writes). An alarm must name every dimension's value,
 * so an event with dimensions is alarmed one value at a time (SmsDelivered with outcome=refused).
 */
export function businessMetric<E extends BusinessEvent>(
  serviceName: string,
  event: E,
  dimensions?: EventDimensions<E>,
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: event,
    dimensionsMap: { ...dimensions, service: serviceName },
    statistic: 'Sum',
    period: BUSINESS_METRIC_PERIOD,
  });
}

/**
 * One line per value of the metric's dimensions (each reason, purpose or function), whatever values the code
 * uses: a SEARCH over exactly this dimension set, for this utility's service alone. Dashboards only; alarms
 * cannot use SEARCH.
 */
export function businessMetricSearch(
  serviceName: string,
  metricName: string,
  dimensions: readonly string[],
): MathExpression {
  const schema = [METRICS_NAMESPACE, 'service', ...dimensions].join(',');
  const seconds = BUSINESS_METRIC_PERIOD.toSeconds();
  return new MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${metricName}" service="${serviceName}"', 'Sum', ${seconds})`,
    usingMetrics: {},
    label: '',
    period: BUSINESS_METRIC_PERIOD,
  });
}
