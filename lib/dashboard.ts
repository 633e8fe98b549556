// The operators' CloudWatch dashboard: alarms, API, functions, queues, and every business event of the catalogue.
import { Aws, Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUSINESS_EVENTS, type BusinessEvent, type BusinessEventDefinition } from '#app/business-events';
import { businessMetric, businessMetricSearch } from './business-metrics.ts';
import type { UtilityFunction } from './utility-function.ts';

const FIVE_MINUTES = Duration.minutes(5);

export interface DashboardQueue {
  /** The consumer id (SmsInbound). */
  id: string;
  queue: IQueue;
  deadLetterQueue: IQueue;
}

export interface OperationsDashboardProps {
  utilityId: string;
  /** The `service` dimension the utility's functions publish business events with. */
  serviceName: string;
  api: HttpApi;
  /** Every function, by route or consumer id. */
  functions: ReadonlyMap<string, UtilityFunction>;
  queues: readonly DashboardQueue[];
  /** Every alarm of the deployment, shown at the top. */
  alarms: readonly IAlarm[];
}

export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console (the API stack's output DashboardUrl). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { api, functions, serviceName } = props;
    const dashboardName = `UtilityDesk-${props.utilityId}`;
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName, defaultInterval: Duration.days(1) });
    this.dashboard = dashboard;

    dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# UtilityDesk ${props.utilityId}\n` +
          "Every alarm notifies the operators' SNS topic (stack output `OperatorsTopicArn`); what each " +
          'means and what to do: docs/operations.md, "Alarms and the dashboard".',
        width: 24,
        height: 2,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 6 }),
    );

    dashboard.addWidgets(
      graph('API requests', [api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' })]),
      graph('API 4xx and 5xx', [
        api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
        api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' }),
      ]),
      graph('API latency (ms)', [
        api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50', label: 'p50' }),
        api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'p99' }),
        api.metricIntegrationLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'integration p99' }),
      ]),
    );

    const byFunction = (metric: (fn: UtilityFunction, label: string) => IMetric) =>
      [...functions].map(([fnId, fn]) => metric(fn, fnId));
    dashboard.addWidgets(
      graph(
        'Lambda errors',
        byFunction((fn, label) =>
          fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label }),
        ),
        6,
      ),
      graph(
        'Lambda throttles',
        byFunction((fn, label) =>
          fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label }),
        ),
        6,
      ),
      graph(
        'Lambda duration p99 (ms)',
        byFunction((fn, label) =>
          fn.function.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label }),
        ),
        6,
      ),
      graph('Lambda cold starts', [businessMetricSearch(serviceName, 'ColdStart', ['function_name'])], 6),
    );

    for (const { id: queueId, queue, deadLetterQueue } of props.queues) {
      const maximum = { period: FIVE_MINUTES, statistic: 'Maximum' };
      dashboard.addWidgets(
        graph(`${queueId} queue: messages`, [
          queue.metricApproximateNumberOfMessagesVisible({ ...maximum, label: 'waiting' }),
          queue.metricApproximateNumberOfMessagesNotVisible({ ...maximum, label: 'in flight' }),
        ]),
        graph(`${queueId} queue: age of the oldest message (s)`, [
          queue.metricApproximateAgeOfOldestMessage(maximum),
        ]),
        graph(`${queueId} dead-letter queue: messages`, [
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...maximum, label: 'dead letters' }),
        ]),
      );
    }

    // The business events, from the catalogue: a new event appears here without touching this file.
    for (const [group, events] of groupedEvents()) {
      const listed = events
        .map((event) => `**${event}**: ${BUSINESS_EVENTS[event].description}.`)
        .join('  \n');
      dashboard.addWidgets(
        new TextWidget({ markdown: `## ${group}\n${listed}`, width: 24, height: events.length + 2 }),
      );
      const charted = events.filter((event) => !isLocalOnly(event));
      if (charted.length === 0) continue;
      dashboard.addWidgets(
        ...charted.map((event) => {
          const dimensions: readonly string[] = BUSINESS_EVENTS[event].dimensions;
          if (dimensions.length === 0) return graph(event, [businessMetric(serviceName, event)], 6);
          return graph(
            `${event}, one line per ${dimensions.join(' and ')}`,
            [businessMetricSearch(serviceName, event, dimensions)],
            6,
          );
        }),
      );
    }

    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${dashboardName}`;
  }
}

function graph(title: string, metrics: IMetric[], width = 8): GraphWidget {
  return new GraphWidget({ title, left: metrics, width, height: 6 });
}

function isLocalOnly(event: BusinessEvent): boolean {
  const definition: BusinessEventDefinition = BUSINESS_EVENTS[event];
  return definition.localOnly === true;
}

/** The catalogue's events by dashboard group, groups in the order they first appear. */
function groupedEvents(): Map<string, BusinessEvent[]> {
  const groups = new Map<string, BusinessEvent[]>();
  for (const event of Object.keys(BUSINESS_EVENTS) as BusinessEvent[]) {
    const group = BUSINESS_EVENTS[event].group;
    groups.set(group, [...(groups.get(group) ?? []), event]);
  }
  return groups;
}
