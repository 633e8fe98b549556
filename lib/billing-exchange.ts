// The billing exchange with the utility's own billing system (billing.engine "external"): the private bucket, the
// bill drop queue S3 feeds, and the BillDrop function and grants that work on them.
import { Aws, CfnOutput, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BILL_DROP_PREFIX } from '#app/bill-drop';
import type { UtilityConfig } from '#config/schema';
import { billDropConsumer } from '#handlers/sqs/consumers';
import { CONSUMER_RUNTIME, ConsumerQueue } from './consumer-queue.ts';
import { notifyOperators } from './operators-topic.ts';
import { renderForNag, UtilityFunction } from './utility-function.ts';

/** The longest region name (ap-southeast-5 and the like) and an account id, as the bucket name will hold them. */
const ACCOUNT_AND_REGION_LENGTH = 12 + 1 + 14;

/**
 * The bucket's physical name: fixed, so the utility's system is told it once, and so the stateless stack names
 * it in its grants without a cross-stack reference. Account and region make it globally unique.
 */
export function billingExchangeBucketName(utilityId: string): string {
  const prefix = `${utilityId}-billing-exchange-`;
  if (prefix.length + ACCOUNT_AND_REGION_LENGTH > 63) {
    throw new Error(
      `The utility id ${utilityId} is too long for the billing exchange bucket's name (S3: 63 characters)`,
    );
  }
  return `${prefix}${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** What stays: exports and processed drops a year and a month (a billing year and its corrections). */
const KEEP_FILES = Duration.days(400);
/** Replaced exports and moved drops: long enough to compare a corrected export with the one before. */
const KEEP_OLD_VERSIONS = Duration.days(30);

export interface BillingExchangeProps {
  config: UtilityConfig;
  operatorsTopic: ITopic;
  removalPolicy: RemovalPolicy;
}

/** The stateful half: the bucket, its access logs, and the queue (with DLQ and alarm) its bill drops feed. */
export class BillingExchange extends Construct {
  readonly bucket: Bucket;
  readonly bucketName: string;
  readonly dropQueue: ConsumerQueue;

  constructor(scope: Construct, id: string, props: BillingExchangeProps) {
    super(scope, id);
    const { config, removalPolicy } = props;
    this.bucketName = billingExchangeBucketName(config.id);

    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: KEEP_FILES }],
      removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "The billing exchange bucket's server access log destination: logging its own access would loop.",
    });

    // S3-managed keys, not KMS: the utility's billing system reads and writes here with its own credentials (often
    // another account), which then needs no grant on a key of ours; TLS-only and private either way.
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: this.bucketName,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'billing-exchange/',
      lifecycleRules: [
        { id: 'ReadingExports', prefix: 'readings/', expiration: KEEP_FILES },
        { id: 'ProcessedDrops', prefix: 'bills/processed/', expiration: KEEP_FILES },
        { id: 'DropRejects', prefix: 'bills/rejects/', expiration: KEEP_FILES },
        {
          id: 'OldVersions',
          noncurrentVersionExpiration: KEEP_OLD_VERSIONS,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy,
    });

    const queueKey = new Key(this, 'DropQueueKey', {
      description: `UtilityDesk ${config.id}: encrypts the bill drop queue and its dead-letter queue`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.dropQueue = new ConsumerQueue(this, 'DropQueue', {
      consumer: billDropConsumer,
      encryptionKey: queueKey,
      description: `UtilityDesk ${config.id} ${billDropConsumer.id}`,
      alarmName: `UtilityDesk-${config.id}-${billDropConsumer.id}DeadLetters`,
    });
    notifyOperators(this.dropQueue.deadLetterAlarm, props.operatorsTopic);

    // Grants S3 SendMessage on the queue (for this bucket only) and the use of the queue's key.
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.dropQueue.queue), {
      prefix: BILL_DROP_PREFIX,
      suffix: '.csv',
    });
    acknowledgeNotificationsHandler(Stack.of(this));

    new CfnOutput(Stack.of(this), 'BillingExchangeBucketName', {
      value: this.bucket.bucketName,
      description:
        "The utility's billing system reads readings/<period>.csv here and drops bill CSV files into bills/incoming/",
    });
  }
}

/** CDK's one function per stack that sets a bucket's notifications at deploy time; it has no role of ours. */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
  if (!handler) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's bucket-notifications custom resource: runs only during deployment, with the basic execution role " +
      "CDK gives it (CloudWatch Logs only, besides the notification call on this stack's buckets).",
  });
}

/** The object keys, as IAM resources, that a grant on the exchange bucket covers. */
function objectsUnder(scope: Construct, bucketName: string, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 's3',
    region: '',
    account: '',
    resource: bucketName,
    resourceName: `${prefix}*`,
  });
}

/** Sets BILLING_EXCHANGE_BUCKET and allows writing readings/<period>.csv there (for window close's export). */
export function allowReadingExports(fn: UtilityFunction, bucketName: string): void {
  fn.function.addEnvironment('BILLING_EXCHANGE_BUCKET', bucketName);
  const exports = objectsUnder(fn, bucketName, 'readings/');
  fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [exports] }));
  Validations.of(fn).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${renderForNag(fn, exports)}]`,
    reason: 'Writes the reading exports, one object per period, all under readings/ of the exchange bucket.',
  });
}

export interface BillDropFunctionProps {
  config: UtilityConfig;
  table: ITable;
  signingSecret: ISecret;
  /** The bill drop queue the data stack's billing exchange holds. */
  queue: IQueue;
}

/**
 * The stateless half: the BillDrop function polling the drop queue, allowed to read and remove what is dropped
 * in bills/incoming/, write bills/rejects/ and bills/processed/, and write the bills and done markers in the table.
 */
export function billDropFunction(scope: Construct, props: BillDropFunctionProps): UtilityFunction {
  const { config } = props;
  const fn = new UtilityFunction(scope, billDropConsumer.id, {
    entry: billDropConsumer.entry,
    config,
    description: `Queue consumer ${billDropConsumer.id}: bill files dropped by the utility's billing system`,
    timeout: CONSUMER_RUNTIME.timeout,
    // A drop of up to 4 MiB is parsed in memory, and its rows and bills with it.
    memorySize: 1024,
  });
  fn.bindTable(props.table, billDropConsumer.table);
  fn.bindSigningSecret(props.signingSecret);
  const bucketName = billingExchangeBucketName(config.id);
  fn.function.addEnvironment('BILLING_EXCHANGE_BUCKET', bucketName);
  const incoming = objectsUnder(fn, bucketName, BILL_DROP_PREFIX);
  const written = [
    objectsUnder(fn, bucketName, 'bills/rejects/'),
    objectsUnder(fn, bucketName, 'bills/processed/'),
  ];
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      // Read the dropped version, copy it (a read), and remove that version once it is moved.
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [incoming],
    }),
  );
  fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: written }));
  for (const resource of [incoming, ...written]) {
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${renderForNag(fn, resource)}]`,
      reason:
        'Drops have names the utility chooses: the grant covers one prefix of the exchange bucket ' +
        '(bills/incoming/ to read and move, bills/rejects/ and bills/processed/ to write), nothing else.',
    });
  }
  fn.function.addEventSource(
    new SqsEventSource(props.queue, {
      // One drop per invocation: a 4 MiB file may take most of the timeout by itself.
      batchSize: 1,
      reportBatchItemFailures: true,
    }),
  );
  return fn;
}
