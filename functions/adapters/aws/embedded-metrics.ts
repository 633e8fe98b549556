// Metrics in AWS: each business event becomes one CloudWatch embedded-metric-format line in the function's log.
import { MetricUnit, type Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { BusinessEvent, EventDimensions } from '#app/business-events';
import type { Metrics } from '#app/ports';

export class EmbeddedMetrics implements Metrics {
  constructor(private readonly metrics: PowertoolsMetrics) {}

  /**
   * Flushed at once, as its own metric: events carry different dimensions, which one buffered EMF document
   * (one dimension set for all its metrics) cannot hold.
   */
  count<E extends BusinessEvent>(event: E, dimensions: EventDimensions<E>): void {
    const single = this.metrics.singleMetric();
    for (const [name, value] of Object.entries<string>(dimensions)) single.addDimension(name, value);
    single.addMetric(event, MetricUnit.Count, 1);
  }
}
