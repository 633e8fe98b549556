import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BUSINESS_EVENTS, type BusinessEventDefinition } from '#app/business-events';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { schedules } from '#handlers/schedule/schedules';
import { photoCheckConsumer, queueConsumers } from '#handlers/sqs/consumers';
import { sharedSynth } from '#test/support/shared-synth';

const seoul = sharedSynth(loadUtilityConfig('seoul-water'));
const { data } = seoul.deployment;
const monitoringTemplate = seoul.monitoring;
// PhotoCheck polls the photo upload queue, which lib/complaint-photos.ts makes with the photo bucket.
const functionIds = [...httpRoutes, notFoundRoute, ...queueConsumers, photoCheckConsumer, ...schedules].map(
  (entry) => entry.id,
);

interface Widget {
  type: string;
  properties: { title?: string; markdown?: string; metrics?: unknown[][]; alarms?: unknown[] };
}

/** The dashboard's widgets as CloudWatch will read them, with every CloudFormation reference shown as TOKEN. */
function widgetsOf(dashboardBody: unknown): Widget[] {
  const parts = (dashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

describe('the dashboard', () => {
  const dashboards = monitoringTemplate.findResources('AWS::CloudWatch::Dashboard');
  const dashboard = Object.values(dashboards)[0];
  const widgets = widgetsOf(dashboard?.Properties.DashboardBody);
  const graph = (title: string) => widgets.find((widget) => widget.properties.title === title);
  const metricNames = (title: string) => graph(title)?.properties.metrics?.map((metric) => metric[1]);
  const labels = (title: string) =>
    graph(title)?.properties.metrics?.map((metric) => (metric.at(-1) as { label?: string }).label);

  it('is one, named after the utility, and its address is a stack output', () => {
    expect(Object.keys(dashboards)).toHaveLength(1);
    expect(dashboard?.Properties.DashboardName).toBe('UtilityDesk-seoul-water');
    const url = monitoringTemplate.findOutputs('DashboardUrl').DashboardUrl?.Value;
    expect(JSON.stringify(url)).toContain('#dashboards/dashboard/UtilityDesk-seoul-water');
  });

  it('shows the state of every alarm of both stacks at the top', () => {
    const alarms = widgets.find((widget) => widget.type === 'alarm')?.properties.alarms;
    const count = (template: Template) =>
      Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length;

    expect(alarms).toHaveLength(count(monitoringTemplate) + count(Template.fromStack(data)));
  });

  it('names and describes every business event of the catalogue, so a new event appears by itself', () => {
    const text = widgets.map((widget) => widget.properties.markdown ?? '').join('\n');
    for (const [event, definition] of Object.entries(BUSINESS_EVENTS)) {
      expect(text, event).toContain(`**${event}**: ${definition.description}.`);
    }
  });

  it('charts each event counted in AWS, by its dimensions, for this utility alone', () => {
    const counted = Object.entries(BUSINESS_EVENTS).filter(
      ([, definition]) => !(definition as BusinessEventDefinition).localOnly,
    );
    for (const [event] of counted) {
      expect(
        widgets.some((widget) => widget.properties.title?.startsWith(event)),
        event,
      ).toBe(true);
    }
    expect(graph('CodeRefused, one line per reason')?.properties.metrics).toEqual([
      [
        {
          expression:
            'SEARCH(\'{UtilityDesk,service,reason} MetricName="CodeRefused" service="utilitydesk-seoul-water"\', \'Sum\', 300)',
        },
      ],
    ]);
    expect(graph('SubscriptionVerified')?.properties.metrics).toEqual([
      ['UtilityDesk', 'SubscriptionVerified', 'service', 'utilitydesk-seoul-water', { stat: 'Sum' }],
    ]);
  });

  it('shows the API, every function, and each queue with its dead-letter queue', () => {
    expect(metricNames('API requests')).toEqual(['Count']);
    expect(metricNames('API 4xx and 5xx')).toEqual(['4xx', '5xx']);
    expect(metricNames('API latency (ms)')).toEqual(['Latency', 'Latency', 'IntegrationLatency']);
    for (const title of ['Lambda errors', 'Lambda throttles', 'Lambda duration p99 (ms)']) {
      expect(labels(title)?.sort(), title).toEqual([...functionIds].sort());
    }
    for (const { id } of queueConsumers) {
      expect(metricNames(`${id} queue: messages`)).toEqual([
        'ApproximateNumberOfMessagesVisible',
        'ApproximateNumberOfMessagesNotVisible',
      ]);
      expect(metricNames(`${id} queue: age of the oldest message (s)`)).toEqual([
        'ApproximateAgeOfOldestMessage',
      ]);
      expect(metricNames(`${id} dead-letter queue: messages`)).toEqual([
        'ApproximateNumberOfMessagesVisible',
      ]);
    }
  });
});
