// Builds one utility's deployment (stateful + stateless stack) with the AwsSolutions checks attached.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import type { UtilityConfig } from '#config/schema';
import { queueConsumers } from '#handlers/sqs/consumers';
import { ApiStack, type ApiStackProps } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { MonitoringStack } from './monitoring-stack.ts';
import { REPO_ROOT } from './utility-function.ts';

export const DEFAULT_UTILITY = 'seoul-water';

export interface DeploymentContext {
  /** Which config/<utility>.json to deploy (`-c utility=...`). */
  utility: string;
  /** `-c deletionProtection=false` for throw-away deployments. */
  deletionProtection: boolean;
  /** `-c alarmEmail=ops@utility.example`: subscribed to the operators' alarm topic. */
  alarmEmail?: string;
}

function booleanContext(app: App, key: string, fallback: boolean): boolean {
  const raw: unknown = app.node.tryGetContext(key);
  if (raw === undefined) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`Context ${key} must be true or false, not ${JSON.stringify(raw)}`);
}

/** Reads the deployment choices from CDK context, with their defaults. */
export function readDeploymentContext(app: App): DeploymentContext {
  const utility: unknown = app.node.tryGetContext('utility') ?? DEFAULT_UTILITY;
  if (typeof utility !== 'string')
    throw new Error(`Context utility must be a string, not ${JSON.stringify(utility)}`);
  const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
  if (alarmEmail !== undefined && !z.email().safeParse(alarmEmail).success)
    throw new Error(`Context alarmEmail must be an e-mail address, not ${JSON.stringify(alarmEmail)}`);
  return {
    utility,
    deletionProtection: booleanContext(app, 'deletionProtection', true),
    ...(typeof alarmEmail === 'string' ? { alarmEmail } : {}),
  };
}

/** The context (feature flags) cdk.json gives the CLI, for apps built without it, such as in tests. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const context = (cdkJson as { context?: unknown }).context;
  return typeof context === 'object' && context !== null ? { ...context } : {};
}

export function stackNames(utilityId: string): { data: string; api: string; monitoring: string } {
  return {
    data: `UtilityDesk-${utilityId}-Data`,
    api: `UtilityDesk-${utilityId}-Api`,
    monitoring: `UtilityDesk-${utilityId}-Monitoring`,
  };
}

/** What the API stack takes from the data stack: the table, the secrets, the queues, the topic, the SMS rules. */
export function fromDataStack(data: DataStack) {
  return {
    tableName: data.tableName,
    tableKey: data.tableKey,
    signingSecret: data.signingSecret,
    gatewaySecrets: data.gatewaySecrets,
    consumerQueues: new Map([...data.consumerQueues].map(([id, consumer]) => [id, consumer.queue])),
    scheduleDeadLetterQueues: data.scheduleDeadLetters.queues,
    smsProtectConfigurationId: data.smsProtectConfiguration?.protectConfigurationId,
    smsConfigurationSetName: data.smsDeliveryEvents?.configurationSetName,
    staffUserPool: data.staffUserPool.userPool,
    staffSignInOrigin: data.staffUserPool.signInDomain.baseUrl(),
    messengerSecret: data.messengerSecret,
    billDropQueue: data.billingExchange?.dropQueue.queue,
    photoUploadQueue: data.complaintPhotos.uploadQueue.queue,
  } satisfies Partial<ApiStackProps>;
}

export interface BuildAppProps {
  app: App;
  config: UtilityConfig;
  deletionProtection: boolean;
  /** Subscribed to the operators' alarm topic by e-mail. */
  alarmEmail?: string;
  /** Attach the cdk-nag AwsSolutions pack, so synth fails on unacknowledged findings. @default true */
  nag?: boolean;
}

export interface UtilityDeployment {
  data: DataStack;
  api: ApiStack;
  monitoring: MonitoringStack;
}

/** Environment-agnostic stacks: synth needs no account lookups; the account and region come at deploy time. */
export function buildApp({
  app,
  config,
  deletionProtection,
  alarmEmail,
  nag = true,
}: BuildAppProps): UtilityDeployment {
  const names = stackNames(config.id);
  const data = new DataStack(app, names.data, {
    description: `UtilityDesk ${config.id}: single table, signing secret, queues and SMS topic (stateful)`,
    config,
    deletionProtection,
    ...(alarmEmail ? { alarmEmail } : {}),
  });
  const api = new ApiStack(app, names.api, {
    description: `UtilityDesk ${config.id}: HTTP API, queue consumers and their functions (stateless)`,
    config,
    ...fromDataStack(data),
  });
  // Every reference points from the API stack into the data stack (queue grants and event source mappings
  // included), so the queues can stay with the other stateful resources without a cycle between the stacks.
  api.addStackDependency(
    data,
    'the functions use the table, its key, the signing secret, the queues and the SMS protect configuration',
  );
  const monitoring = new MonitoringStack(app, names.monitoring, {
    description: `UtilityDesk ${config.id}: alarms on every function, the API and the business events; the operators' dashboard`,
    config,
    api: api.api,
    functions: api.functions,
    queues: queueConsumers.map((consumer) => {
      const queues = data.consumerQueues.get(consumer.id);
      if (!queues) throw new Error(`No queue for consumer ${consumer.id}`);
      return { id: consumer.id, queue: queues.queue, deadLetterQueue: queues.deadLetterQueue };
    }),
    operatorsTopic: data.operatorsTopic,
    dataAlarms: [
      ...[...data.consumerQueues.values()].map((consumer) => consumer.deadLetterAlarm),
      ...data.scheduleDeadLetters.alarms,
      ...(data.billingExchange ? [data.billingExchange.dropQueue.deadLetterAlarm] : []),
      data.complaintPhotos.uploadQueue.deadLetterAlarm,
    ],
  });
  monitoring.addStackDependency(api, 'the alarms and the dashboard watch the functions and the API');
  monitoring.addStackDependency(
    data,
    "the alarms notify the operators' topic; the dashboard shows the queues",
  );
  for (const stack of [data, api, monitoring]) {
    Tags.of(stack).add('project', 'UtilityDesk');
    Tags.of(stack).add('utility', config.id);
  }
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { data, api, monitoring };
}
