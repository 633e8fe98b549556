// The stateless part of a deployment: one function per route behind an API Gateway HTTP API, one per queue
// consumer, polling the queue the data stack holds for it. The monitoring stack watches them.
import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_INDEXES } from '#adapters/dynamo/table-definition';
import { RECEIPT_FONT_FILE, RECEIPT_FONT_PACKAGE_FILE } from '#adapters/pdf/receipt-font';
import type { UtilityConfig } from '#config/schema';
import { httpRoutes, isAdminPath, notFoundRoute, type RouteEntry } from '#handlers/http/routes';
import { billingRunSchedule, schedules as scheduleEntries } from '#handlers/schedule/schedules';
import {
  billDropConsumer,
  billingRunConsumer,
  noticePlanConsumer,
  noticeSendConsumer,
  photoCheckConsumer,
  queueConsumers,
  smsDeliveryEventsConsumer,
  smsInboundConsumer,
  smsOutboundConsumer,
} from '#handlers/sqs/consumers';
import { allowReadingExports, billDropFunction, billingExchangeBucketName } from './billing-exchange.ts';
import { allowPhotoUploads, allowPhotoViews, photoCheckFunction } from './complaint-photos.ts';
import { CONSUMER_RUNTIME } from './consumer-queue.ts';
import { EDGE_CACHED_READS, Portal } from './portal.ts';
import { Schedules } from './schedules.ts';
import { UtilityFunction } from './utility-function.ts';

/** Memory of a function that prints PDFs: laying out Hangul with a 6 MB font wants more than the default. */
const PDF_MEMORY_MB = 1024;

export interface ApiThrottle {
  /** Steady-state requests per second for the whole stage. */
  rateLimit: number;
  burstLimit: number;
}

export interface ApiStackProps extends StackProps {
  config: UtilityConfig;
  /** The single table's physical name (the data stack fixes it). */
  tableName: string;
  tableKey: IKey;
  signingSecret: ISecret;
  /** The SMS gateways' shared secrets, by gateway id (the data stack holds them). */
  gatewaySecrets: ReadonlyMap<string, ISecret>;
  /** The queue of each entry of queueConsumers, by consumer id (the data stack holds them). */
  consumerQueues: ReadonlyMap<string, IQueue>;
  /** The SMS protect configuration the data stack holds: End User Messaging senders name it on every SMS. */
  smsProtectConfigurationId?: string;
  /** Each schedule's dead-letter queue, by schedule name (the data stack holds them). */
  scheduleDeadLetterQueues: ReadonlyMap<string, IQueue>;
  /** @default { rateLimit: 50, burstLimit: 100 } */
  throttle?: ApiThrottle;
  /** The staff user pool (the data stack holds it): its tokens open the /admin/ routes. */
  staffUserPool: IUserPool;
  /** The staff user pool's hosted sign-in origin (https://<prefix>.auth.<region>.amazoncognito.com). */
  staffSignInOrigin: string;
  /** The messenger provider's API key (the data stack holds it), where the utility has an HTTP messenger. */
  messengerSecret?: ISecret;
  /** The End User Messaging configuration set the data stack holds (or the config names): senders name it. */
  smsConfigurationSetName?: string;
  /** The bill drop queue of the billing exchange (the data stack holds it), when billing.engine is "external". */
  billDropQueue?: IQueue;
  /** The complaint photo upload queue (the data stack holds it with the photo bucket). */
  photoUploadQueue?: IQueue;
  /** The built portal to deploy. @default portal/dist */
  portalAssets?: string;
}

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** The functions by route id ($default's included) and by queue consumer id. */
  readonly functions: ReadonlyMap<string, UtilityFunction>;
  /** The portal and staff console behind CloudFront, with the console's OAuth client. */
  readonly portal: Portal;
  /** The EventBridge Scheduler schedules of the schedule table, their functions and roles (the data stack holds their dead-letter queues). */
  readonly schedules: Schedules;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, signingSecret } = props;
    // Imported by name: its ARN then renders without cross-stack tokens, in IAM policies and in cdk-nag findings.
    const table = Table.fromTableAttributes(this, 'Table', {
      tableName: props.tableName,
      encryptionKey: props.tableKey,
      globalIndexes: TABLE_INDEXES.map((index) => index.indexName),
    });
    const functions = new Map<string, UtilityFunction>();
    const smsProtection = props.smsProtectConfigurationId;
    const queueOf = (consumerId: string): IQueue => {
      const queue = props.consumerQueues.get(consumerId);
      if (!queue) throw new Error(`No queue for consumer ${consumerId}`);
      return queue;
    };

    // Every SMS End User Messaging sends names the configuration set, so each one's delivery events reach the queue.
    const nameConfigurationSet = (fn: UtilityFunction) => {
      if (props.smsConfigurationSetName)
        fn.function.addEnvironment('SMS_CONFIGURATION_SET_NAME', props.smsConfigurationSetName);
    };

    const functionFor = (entry: RouteEntry): UtilityFunction => {
      const fn = new UtilityFunction(this, entry.id, {
        entry: entry.entry,
        config,
        description:
          entry === notFoundRoute
            ? 'Any unmatched request ($default): 404'
            : `${entry.route.method} ${entry.route.path}`,
        ...(entry.printsPdf
          ? {
              memorySize: PDF_MEMORY_MB,
              bundledFiles: [
                { from: join('node_modules', RECEIPT_FONT_PACKAGE_FILE), to: RECEIPT_FONT_FILE },
              ],
            }
          : {}),
        usesPhotoBucket: entry.uploadsPhotos || entry.viewsPhotos,
      });
      fn.bindTable(table, entry.table);
      fn.bindSigningSecret(signingSecret);
      if (entry.sendsSms) fn.allowSms(config.channels.sms.outbound, props.gatewaySecrets, smsProtection);
      if (entry.sendsEmail) fn.allowEmail(config.channels.email);
      if (entry.enqueuesInboundSms) {
        fn.allowSendTo(queueOf(smsInboundConsumer.id), 'INBOUND_QUEUE_URL');
        fn.bindGatewaySecrets(props.gatewaySecrets);
      }
      if (entry.queuesSms || entry.queuesEmail || entry.queuesUpdates)
        fn.allowSendTo(queueOf(smsOutboundConsumer.id), 'OUTBOUND_QUEUE_URL');
      if (entry.sendsSms) nameConfigurationSet(fn);
      if (entry.enqueuesDeliveryReports) {
        fn.allowSendTo(queueOf(smsDeliveryEventsConsumer.id), 'DELIVERY_EVENTS_QUEUE_URL');
        fn.bindGatewaySecrets(props.gatewaySecrets);
      }
      functions.set(entry.id, fn);
      return fn;
    };

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `utilitydesk-${config.id}`,
      description: `UtilityDesk ${config.id}: citizen API`,
      createDefaultStage: false,
    });

    const defaultRoute = new HttpRoute(this.api, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration(notFoundRoute.id, functionFor(notFoundRoute).function),
    });
    Validations.of(defaultRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $default route only answers unknown paths with a problem+json 404; there is nothing behind it to protect.',
    });

    // The pages and console in front of this API, and the console's OAuth client.
    this.portal = new Portal(this, 'Portal', {
      config,
      api: this.api,
      staffUserPool: props.staffUserPool,
      signInOrigin: props.staffSignInOrigin,
      ...(props.portalAssets ? { assets: props.portalAssets } : {}),
    });

    // API Gateway checks a staff token's signature, issuer, audience (the console's client) and expiry before an
    // /admin/ function runs, and answers 401 itself otherwise; the route then reads the roles from its groups.
    // Cognito access tokens carry no aud: API Gateway then checks their client_id against the same list.
    const staffAuthorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', props.staffUserPool, {
      userPoolClients: [this.portal.consoleClient],
    });

    for (const entry of httpRoutes) {
      const admin = isAdminPath(entry.route.path);
      if (admin !== (entry.route.auth === 'staff')) {
        throw new Error(
          `${entry.id}: ${entry.route.path} must be a staff route if and only if it is under /admin/`,
        );
      }
      const fn = functionFor(entry);
      const routes = this.api.addRoutes({
        path: entry.route.path,
        methods: [HttpMethod[entry.route.method]],
        integration: new HttpLambdaIntegration(entry.id, fn.function),
        ...(admin ? { authorizer: staffAuthorizer } : {}),
      });
      if (admin) continue;
      for (const route of routes) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            entry.route.auth === 'account'
              ? 'Authorised in the handler: an HMAC-signed bearer token whose account must equal the path account.'
              : entry.enqueuesInboundSms || entry.enqueuesDeliveryReports
                ? "A webhook for the domestic SMS aggregator, which cannot hold AWS credentials: each request is verified by the gateway's HMAC signature over the raw body before anything is enqueued."
                : 'Public by design: citizens call it before they hold a token (OTP request / token exchange).',
        });
      }
    }

    for (const consumer of queueConsumers) {
      if (functions.has(consumer.id)) throw new Error(`Consumer id ${consumer.id} is also a route id`);
      const queue = queueOf(consumer.id);
      const fn = new UtilityFunction(this, consumer.id, {
        entry: consumer.entry,
        config,
        description: `Queue consumer ${consumer.id}`,
        timeout: CONSUMER_RUNTIME.timeout,
      });
      fn.bindTable(table, consumer.table);
      fn.bindSigningSecret(signingSecret);
      if (consumer.sendsSms) fn.allowSms(config.channels.sms.outbound, props.gatewaySecrets, smsProtection);
      if (consumer.sendsSms) nameConfigurationSet(fn);
      if (consumer.sendsEmail) fn.allowEmail(config.channels.email);
      for (const target of consumer.writesTo ?? [])
        fn.allowSendTo(queueOf(target.consumerId), target.variable);
      if (consumer.sendsMessenger && props.messengerSecret) fn.bindMessengerSecret(props.messengerSecret);
      // Grants receive/delete on the queue and decrypt on its key to the role; the queue stays in the data stack.
      fn.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize: CONSUMER_RUNTIME.batchSize,
          maxBatchingWindow: CONSUMER_RUNTIME.maxBatchingWindow,
          // The handler returns the records that failed; only those are retried (and later dead-lettered).
          reportBatchItemFailures: true,
          // A sender must not outrun its provider: past the provider's rate, messages would only be throttled.
          maxConcurrency: consumer.maxConcurrency?.(config),
        }),
      );
      functions.set(consumer.id, fn);
    }

    if (props.billDropQueue) {
      functions.set(
        billDropConsumer.id,
        billDropFunction(this, { config, table, signingSecret, queue: props.billDropQueue }),
      );
    }

    // Complaint photos: the check behind the upload queue, and the routes that sign forms and links for the bucket.
    if (props.photoUploadQueue) {
      functions.set(
        photoCheckConsumer.id,
        photoCheckFunction(this, { config, table, signingSecret, queue: props.photoUploadQueue }),
      );
    }
    for (const entry of httpRoutes) {
      const fn = functions.get(entry.id);
      if (fn && entry.uploadsPhotos) allowPhotoUploads(fn, config);
      if (fn && entry.viewsPhotos) allowPhotoViews(fn, config);
    }

    // The schedules of the schedule table, each with its function; their alarms and dashboard widgets follow.
    const schedules = new Schedules(this, 'Schedules', {
      config,
      entries: scheduleEntries,
      table,
      signingSecret,
      deadLetterQueues: props.scheduleDeadLetterQueues,
      announcementTarget: queueOf(noticePlanConsumer.id),
    });
    for (const entry of httpRoutes) {
      if (!entry.startsAnnouncements) continue;
      const fn = functions.get(entry.id);
      if (!fn) throw new Error(`No function for route ${entry.id}`);
      fn.allowSendTo(queueOf(noticePlanConsumer.id), 'NOTICE_PLAN_QUEUE_URL');
      schedules.allowAnnouncementSchedules(fn);
    }
    for (const entry of httpRoutes) {
      if (entry.startsBillingRuns)
        functions.get(entry.id)?.allowSendTo(queueOf(billingRunConsumer.id), 'BILLING_QUEUE_URL');
    }
    // Routes that queue one account's notices: straight to the sender's queue (the planner's only to plan again).
    for (const entry of httpRoutes) {
      if (!entry.queuesNotices) continue;
      const fn = functions.get(entry.id);
      if (!fn) throw new Error(`No function for route ${entry.id}`);
      fn.allowSendTo(queueOf(noticePlanConsumer.id), 'NOTICE_PLAN_QUEUE_URL');
      fn.allowSendTo(queueOf(noticeSendConsumer.id), 'NOTICE_SEND_QUEUE_URL');
    }
    // With the utility's own billing system, the billing-run schedule exports the window's readings instead.
    if (config.billing.engine === 'external') {
      const fn = schedules.functions.get(billingRunSchedule.id);
      if (fn) allowReadingExports(fn, billingExchangeBucketName(config.id));
    }
    for (const entry of scheduleEntries) {
      for (const target of entry.writesTo ?? [])
        schedules.functions.get(entry.id)?.allowSendTo(queueOf(target.consumerId), target.variable);
    }
    for (const [scheduleId, fn] of schedules.functions) {
      if (functions.has(scheduleId))
        throw new Error(`Schedule id ${scheduleId} is also a route or consumer id`);
      functions.set(scheduleId, fn);
    }
    this.schedules = schedules;
    this.functions = functions;

    // The edge's copies of the cached reads go once their functions run this deploy's code.
    const cachedReadFunctions = EDGE_CACHED_READS.map((path) => {
      const entry = httpRoutes.find((e) => e.route.method === 'GET' && e.route.path === path);
      const fn = entry && functions.get(entry.id)?.function;
      if (!fn) throw new Error(`No GET ${path} route behind a read the portal caches`);
      return fn;
    });
    this.portal.forgetCachedReadsAfter(config, cachedReadFunctions);

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const throttle = props.throttle ?? { rateLimit: 50, burstLimit: 100 };
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            responseLength: '$context.responseLength',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the citizen API' });
  }
}
