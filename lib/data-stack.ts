// The stateful part of a deployment: the single table, the token-signing secret, the queues and topic that
// hold messages in flight, and the operators' alarm topic, each encrypted with a KMS key of its own.
import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { deployedTableName, TABLE_INDEXES, TABLE_KEYS } from '#adapters/dynamo/table-definition';
import type { UtilityConfig } from '#config/schema';
import { schedules as scheduleEntries } from '#handlers/schedule/schedules';
import {
  noticePlanConsumer,
  queueConsumers,
  smsDeliveryEventsConsumer,
  smsInboundConsumer,
} from '#handlers/sqs/consumers';
import { BillingExchange } from './billing-exchange.ts';
import { ComplaintPhotos } from './complaint-photos.ts';
import { ConsumerQueue } from './consumer-queue.ts';
import { notifyOperators, OperatorsTopic } from './operators-topic.ts';
import { ANNOUNCEMENT_SCHEDULES, ScheduleDeadLetterQueues } from './schedules.ts';
import { SmsDeliveryEvents } from './sms-delivery-events.ts';
import { SmsProtectConfiguration } from './sms-protect-configuration.ts';
import { StaffUserPool } from './staff-user-pool.ts';

/** The service principal of AWS End User Messaging SMS, which publishes two-way (inbound) SMS to SNS. */
export const SMS_SERVICE_PRINCIPAL = 'sms-voice.amazonaws.com';

export interface DataStackProps extends StackProps {
  config: UtilityConfig;
  /**
   * Protects the table from deletion and retains table, keys and secret when the stack goes.
   * Turn it off only for throw-away deployments (`-c deletionProtection=false`).
   */
  deletionProtection: boolean;
  /** Subscribes this address to the operators' alarm topic (`-c alarmEmail=...`). */
  alarmEmail?: string;
}

/**
 * The table's physical name. Fixed, so that the stateless stack, the ops CLI and a person at the console
 * find it without stack outputs, and so that CloudFormation can never replace the table silently.
 */
export const tableNameFor = deployedTableName;

export class DataStack extends Stack {
  readonly table: ITable;
  readonly tableName: string;
  readonly tableKey: IKey;
  readonly signingSecret: ISecret;
  /** One shared secret per domestic SMS gateway of the config, by gateway id. */
  readonly gatewaySecrets: ReadonlyMap<string, ISecret>;
  /** Each queue consumer's queue (with its DLQ and alarm), by consumer id. */
  readonly consumerQueues: ReadonlyMap<string, ConsumerQueue>;
  /** Where End User Messaging SMS publishes inbound SMS; it feeds the SmsInbound queue. */
  readonly inboundSmsTopic: ITopic;
  /** Every alarm of the deployment notifies this topic; operators subscribe to it. */
  readonly operatorsTopic: ITopic;
  /**
   * The SMS country rules (the utility's country only), where an AWS service sends the SMS: End User Messaging
   * names it on every send; for SNS and Pinpoint an operator makes it the account default. None for a gateway.
   */
  readonly smsProtectConfiguration?: SmsProtectConfiguration;
  /** The staff and their groups: stateful (the users live here), so kept with the table, retained likewise. */
  readonly staffUserPool: StaffUserPool;
  /** The messenger provider's API key, where the utility has an HTTP messenger (channels.messenger). */
  readonly messengerSecret?: ISecret;
  /** Each schedule's dead-letter queue (with its alarm): firings that were never run wait there. */
  readonly scheduleDeadLetters: ScheduleDeadLetterQueues;
  /** Where End User Messaging sends SMS: its configuration set and the delivery events topic feeding the queue. */
  readonly smsDeliveryEvents?: SmsDeliveryEvents;
  /** The exchange with the utility's own billing system, when it makes the bills (billing.engine "external"). */
  readonly billingExchange?: BillingExchange;
  /** The complaint photo bucket and the upload queue its events feed. */
  readonly complaintPhotos: ComplaintPhotos;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, deletionProtection } = props;
    const removalPolicy = deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const tableKey = new Key(this, 'TableKey', {
      description: `UtilityDesk ${config.id}: encrypts the single table`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // Table, not TableV2: TableV2 cannot render a customer-managed key in a region-agnostic stack.
    this.tableName = tableNameFor(config.id);
    const table = new Table(this, 'Table', {
      tableName: this.tableName,
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      deletionProtection,
      removalPolicy,
    });
    for (const index of TABLE_INDEXES) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.table = table;
    this.tableKey = tableKey;

    const secretKey = new Key(this, 'SecretKey', {
      description: `UtilityDesk ${config.id}: encrypts the token-signing, SMS gateway and messenger secrets`,
      enableKeyRotation: true,
      removalPolicy,
    });

    const signingSecret = new Secret(this, 'SigningSecret', {
      description: `UtilityDesk ${config.id}: HMAC key material for OTP hashes and bearer tokens`,
      encryptionKey: secretKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: functions read this HMAC secret once per cold start and verify with one key ' +
        `only, so a rotation would invalidate every live bearer token (up to ${config.auth.tokenTtlMinutes} min) and ` +
        'pending OTP, and warm functions would keep the old key. Operators rotate it by hand in a planned window: ' +
        "put a new value, then update the functions' configuration so every execution environment restarts.",
    });
    this.signingSecret = signingSecret;

    const gatewaySecrets = new Map<string, ISecret>();
    for (const gateway of config.channels.sms.inboundGateways) {
      const secret = new Secret(this, `GatewaySecret${pascalCase(gateway.id)}`, {
        description: `UtilityDesk ${config.id}: HMAC key the SMS gateway ${gateway.id} signs its webhooks with`,
        encryptionKey: secretKey,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          `Not rotated automatically: the same key is configured at the aggregator (${gateway.id}), outside AWS, ` +
          'which a rotation Lambda cannot update, so an automatic rotation would make every webhook fail ' +
          'verification until someone changed it there. Operators rotate it by hand together with the ' +
          'aggregator (see docs/operations.md).',
      });
      new CfnOutput(this, `GatewaySecretArn${pascalCase(gateway.id)}`, {
        value: secret.secretArn,
        description: `Secret the SMS gateway ${gateway.id} signs POST /sms/inbound/${gateway.id} with`,
      });
      gatewaySecrets.set(gateway.id, secret);
    }
    this.gatewaySecrets = gatewaySecrets;

    const operators = new OperatorsTopic(this, 'Operators', {
      utilityId: config.id,
      removalPolicy,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });
    this.operatorsTopic = operators.topic;

    const consumerQueues = new Map<string, ConsumerQueue>();
    for (const consumer of queueConsumers) {
      const queueKey = new Key(this, `${consumer.id}QueueKey`, {
        description: `UtilityDesk ${config.id}: encrypts the ${consumer.id} queue and its dead-letter queue`,
        enableKeyRotation: true,
        removalPolicy,
      });
      const consumerQueue = new ConsumerQueue(this, `${consumer.id}Queue`, {
        consumer,
        encryptionKey: queueKey,
        description: `UtilityDesk ${config.id} ${consumer.id}`,
        alarmName: `UtilityDesk-${config.id}-${consumer.id}DeadLetters`,
        ...(consumer === noticePlanConsumer
          ? {
              urlOutputDescription:
                'The notice planner queue: ops notices run --plan-queue-url starts or plans a run again',
            }
          : {}),
      });
      notifyOperators(consumerQueue.deadLetterAlarm, operators.topic);
      consumerQueues.set(consumer.id, consumerQueue);
    }
    this.consumerQueues = consumerQueues;

    this.scheduleDeadLetters = new ScheduleDeadLetterQueues(this, 'ScheduleDeadLetters', {
      config,
      entries: [...scheduleEntries, ANNOUNCEMENT_SCHEDULES],
      operatorsTopic: operators.topic,
      removalPolicy,
    });

    const inboundQueue = consumerQueues.get(smsInboundConsumer.id);
    if (!inboundQueue)
      throw new Error(`queueConsumers lacks ${smsInboundConsumer.id}, which the SMS topic feeds`);
    this.inboundSmsTopic = this.inboundSmsTopicFeeding(inboundQueue.queue, config, removalPolicy);

    if (config.channels.sms.outbound.provider !== 'gateway') {
      const protect = new SmsProtectConfiguration(this, 'SmsProtectConfiguration', {
        config,
        deletionProtection,
        removalPolicy,
      });
      new CfnOutput(this, 'SmsProtectConfigurationId', {
        value: protect.protectConfigurationId,
        description:
          config.channels.sms.outbound.provider === 'end-user-messaging'
            ? 'SMS country rules, named on every SendTextMessage'
            : 'SMS country rules: make it the account default (docs/operations.md), or SNS/Pinpoint send anywhere',
      });
      this.smsProtectConfiguration = protect;
    }

    const deliveryQueue = consumerQueues.get(smsDeliveryEventsConsumer.id);
    if (config.channels.sms.outbound.provider === 'end-user-messaging' && deliveryQueue) {
      const events = new SmsDeliveryEvents(this, 'SmsDeliveryEvents', {
        config,
        queue: deliveryQueue.queue,
        removalPolicy,
      });
      new CfnOutput(this, 'SmsDeliveryEventsTopicArn', {
        value: events.topic.topicArn,
        description: events.configurationSet
          ? 'Delivery events of the SMS sent with the configuration set SmsConfigurationSetName'
          : `Add an event destination to this topic on the configuration set ${events.configurationSetName} (docs/operations.md)`,
      });
      new CfnOutput(this, 'SmsConfigurationSetName', {
        value: events.configurationSetName,
        description:
          'The configuration set every SendTextMessage names: its delivery events feed the notice report',
      });
      this.smsDeliveryEvents = events;
    }

    this.staffUserPool = new StaffUserPool(this, 'Staff', { config, deletionProtection, removalPolicy });
    // The export the previous versions' API stack imports (the console client's id), kept while it may still be
    // deployed: CloudFormation refuses to drop an export in use (docs/operations.md, "Upgrading to the web portal").
    this.exportValue(this.staffUserPool.previousConsoleClient.userPoolClientId);
    new CfnOutput(this, 'StaffUserPoolId', {
      value: this.staffUserPool.userPool.userPoolId,
      description:
        'Staff user pool: operators create staff users and add them to groups (docs/operations.md)',
    });
    new CfnOutput(this, 'StaffSignInUrl', {
      value: this.staffUserPool.signInDomain.baseUrl(),
      description: "The staff console's hosted sign-in (Cognito prefix domain)",
    });
    this.messengerSecret = this.messengerSecretFor(config, secretKey, removalPolicy);

    // Only where the utility's system makes the bills: an internal-engine utility exchanges no files, and a bucket
    // nobody uses would be one more thing to secure and pay for. Switching the engine is a deploy that adds it.
    if (config.billing.engine === 'external') {
      this.billingExchange = new BillingExchange(this, 'BillingExchange', {
        config,
        operatorsTopic: operators.topic,
        removalPolicy,
      });
    }

    this.complaintPhotos = new ComplaintPhotos(this, 'ComplaintPhotos', {
      config,
      operatorsTopic: operators.topic,
      removalPolicy,
    });

    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The single table' });
    new CfnOutput(this, 'SigningSecretArn', {
      value: signingSecret.secretArn,
      description: 'HMAC signing secret (rotated by hand: see the SMG4 acknowledgment)',
    });
    new CfnOutput(this, 'OperatorsTopicArn', {
      value: operators.topic.topicArn,
      description: 'Every alarm notifies this topic: subscribe the on-call address or a chat hook to it',
    });
    new CfnOutput(this, 'InboundSmsTopicArn', {
      value: this.inboundSmsTopic.topicArn,
      description:
        "Two-way SMS destination: set it on the End User Messaging phone number's two-way SMS settings",
    });
  }

  /**
   * The secret that holds the messenger provider's API key, under the profile's name so operators find it. The
   * provider issues the key: the generated value is a placeholder until an operator puts the real one there.
   */
  private messengerSecretFor(
    config: UtilityConfig,
    secretKey: IKey,
    removalPolicy: RemovalPolicy,
  ): ISecret | undefined {
    const messenger = config.channels.messenger;
    if (messenger.provider === 'local') {
      throw new Error(
        'channels.messenger.provider "local" is the local runtime\'s stand-in: deploy "alimtalk-http" or "none"',
      );
    }
    if (messenger.provider !== 'alimtalk-http') return undefined;
    const secret = new Secret(this, 'MessengerSecret', {
      secretName: messenger.secretName,
      description: `UtilityDesk ${config.id}: the messenger provider's API key (sent in ${messenger.apiKeyHeader}); put the provider's key here`,
      encryptionKey: secretKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: the messenger provider issues this API key in its own console, which a ' +
        'rotation Lambda cannot reach. Operators rotate it there and put the new key here (see docs/operations.md).',
    });
    new CfnOutput(this, 'MessengerSecretArn', {
      value: secret.secretArn,
      description: `Put the messenger provider's API key here (secret ${messenger.secretName})`,
    });
    return secret;
  }

  /**
   * The SNS topic End User Messaging SMS publishes inbound SMS to, encrypted with a key of its own that the
   * service may use, and subscribed by the queue with the SNS envelope kept (the consumer reads either form).
   */
  private inboundSmsTopicFeeding(queue: IQueue, config: UtilityConfig, removalPolicy: RemovalPolicy): ITopic {
    const sms = new ServicePrincipal(SMS_SERVICE_PRINCIPAL);
    // Only End User Messaging resources of this account and region, not the service on anyone's behalf.
    const fromThisAccount = {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'sms-voice', resource: '*' }) },
    };

    const topicKey = new Key(this, 'InboundSmsTopicKey', {
      description: `UtilityDesk ${config.id}: encrypts the inbound SMS topic`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // A publisher to an encrypted topic needs the topic's key; SNS's AWS managed key cannot grant that.
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingSmsPublishesInboundSms',
        principals: [sms],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    const topic = new Topic(this, 'InboundSmsTopic', {
      displayName: `UtilityDesk ${config.id} inbound SMS`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingSmsPublishesInboundSms',
        principals: [sms],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    // Not raw: the envelope carries the SNS MessageId and Timestamp, useful when tracing a message.
    topic.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: false }));
    return topic;
  }
}

/** "kr-aggregator" -> "KrAggregator", for construct ids. */
function pascalCase(slug: string): string {
  return slug
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
