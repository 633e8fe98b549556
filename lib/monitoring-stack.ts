// What watches a deployment: the alarms on every function, the API and the business events, and the operators'
// dashboard. A stack of its own so the API stack stays under CloudFormation's 500 resources a stack: two alarms a
// function would take a fifth of it.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm, IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { UtilityConfig } from '#config/schema';
import { Alarms } from './alarms.ts';
import { type DashboardQueue, OperationsDashboard } from './dashboard.ts';
import { serviceNameFor, type UtilityFunction } from './utility-function.ts';

export interface MonitoringStackProps extends StackProps {
  config: UtilityConfig;
  api: HttpApi;
  /** Every function of the API stack, by route or consumer id. */
  functions: ReadonlyMap<string, UtilityFunction>;
  /** Each queue consumer's queue and dead-letter queue (the data stack holds them). */
  queues: DashboardQueue[];
  /** The operators' topic (the data stack holds it): every alarm notifies it. */
  operatorsTopic: ITopic;
  /** Alarms the data stack made (on the dead-letter queues), shown on the dashboard with these. */
  dataAlarms: readonly IAlarm[];
}

export class MonitoringStack extends Stack {
  /** Every alarm of this stack; each notifies the operators' topic. */
  readonly alarms: readonly Alarm[];
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;
    const alarms = new Alarms(this, 'Alarms', {
      utilityId: config.id,
      serviceName: serviceNameFor(config.id),
      api: props.api,
      functions: props.functions,
      topic: props.operatorsTopic,
    });
    this.alarms = alarms.all;
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      utilityId: config.id,
      serviceName: serviceNameFor(config.id),
      api: props.api,
      functions: props.functions,
      queues: props.queues,
      alarms: [...alarms.all, ...props.dataAlarms],
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: this.dashboard.url,
      description: "The operators' CloudWatch dashboard",
    });
  }
}
