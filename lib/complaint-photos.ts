// Complaint photos: the private photo bucket, the upload queue S3 feeds, and the PhotoCheck function and the grants
// of the routes that hand out upload forms and links to checked copies.
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
import { PHOTO_COPY_PREFIX, PHOTO_UPLOAD_PREFIX } from '#app/complaint-photos';
import type { UtilityConfig } from '#config/schema';
import { photoCheckConsumer } from '#handlers/sqs/consumers';
import { CONSUMER_RUNTIME, ConsumerQueue } from './consumer-queue.ts';
import { notifyOperators } from './operators-topic.ts';
import { renderForNag, UtilityFunction } from './utility-function.ts';

/** PhotoCheck invocations at once, at most. */
const PHOTO_CHECK_MAX_CONCURRENCY = 5;

/** The longest region name and an account id, as the bucket name will hold them. */
const ACCOUNT_AND_REGION_LENGTH = 12 + 1 + 14;

/** Uploads are checked within seconds; one left over (its event dead-lettered) is never shown, so it goes. */
const KEEP_UPLOADS = Duration.days(1);
/** Checked copies: two years, longer than any complaint stays open or is looked back on. */
const KEEP_PHOTOS = Duration.days(730);
/** The bucket's access logs: a year, as the exchange bucket's. */
const KEEP_ACCESS_LOGS = Duration.days(400);

/**
 * The bucket's physical name: fixed, so the stateless stack names it in its grants and environment without a
 * cross-stack reference. Account and region make it globally unique.
 */
export function photoBucketName(utilityId: string): string {
  const prefix = `${utilityId}-complaint-photos-`;
  if (prefix.length + ACCOUNT_AND_REGION_LENGTH > 63) {
    throw new Error(
      `The utility id ${utilityId} is too long for the photo bucket's name (S3: 63 characters)`,
    );
  }
  return `${prefix}${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

export interface ComplaintPhotosProps {
  config: UtilityConfig;
  operatorsTopic: ITopic;
  removalPolicy: RemovalPolicy;
}

/** The stateful half: the photo bucket, its access logs, and the upload queue (with DLQ and alarm) S3 feeds. */
export class ComplaintPhotos extends Construct {
  readonly bucket: Bucket;
  readonly uploadQueue: ConsumerQueue;

  constructor(scope: Construct, id: string, props: ComplaintPhotosProps) {
    super(scope, id);
    const { config, removalPolicy } = props;

    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: KEEP_ACCESS_LOGS }],
      removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "The photo bucket's server access log destination: logging its own access would loop.",
    });

    // S3-managed keys, not KMS: a presigned POST is then signed for s3:PutObject alone (with KMS the uploader's
    // form would also need kms:GenerateDataKey on our key), and the signed links need no key grant either.
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: photoBucketName(config.id),
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'complaint-photos/',
      // Browsers post the upload form straight to S3, from the portal's origin only: its CORS rule is set by the API
      // stack once the portal's distribution exists (lib/portal.ts), as this stack cannot know its domain.
      lifecycleRules: [
        {
          id: 'Uploads',
          prefix: PHOTO_UPLOAD_PREFIX,
          expiration: KEEP_UPLOADS,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'CheckedPhotos', prefix: PHOTO_COPY_PREFIX, expiration: KEEP_PHOTOS },
      ],
      removalPolicy,
    });

    const queueKey = new Key(this, 'UploadQueueKey', {
      description: `UtilityDesk ${config.id}: encrypts the photo upload queue and its dead-letter queue`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.uploadQueue = new ConsumerQueue(this, 'UploadQueue', {
      consumer: photoCheckConsumer,
      encryptionKey: queueKey,
      description: `UtilityDesk ${config.id} ${photoCheckConsumer.id}`,
      alarmName: `UtilityDesk-${config.id}-${photoCheckConsumer.id}DeadLetters`,
    });
    notifyOperators(this.uploadQueue.deadLetterAlarm, props.operatorsTopic);

    // Grants S3 SendMessage on the queue (for this bucket only) and the use of the queue's key.
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.uploadQueue.queue), {
      prefix: PHOTO_UPLOAD_PREFIX,
    });
    acknowledgeNotificationsHandler(Stack.of(this));

    new CfnOutput(Stack.of(this), 'PhotoBucketName', {
      value: this.bucket.bucketName,
      description:
        'Complaint photos: unchecked uploads under uploads/ (kept a day), checked copies under photos/',
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

/** The object keys under a prefix of the photo bucket, as an IAM resource. */
function objectsUnder(scope: Construct, bucketName: string, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 's3',
    region: '',
    account: '',
    resource: bucketName,
    resourceName: `${prefix}*`,
  });
}

/** Sets PHOTO_BUCKET and lets the role sign upload forms: an upload by form acts with the signer's s3:PutObject. */
export function allowPhotoUploads(fn: UtilityFunction, config: UtilityConfig): void {
  const bucketName = photoBucketName(config.id);
  fn.function.addEnvironment('PHOTO_BUCKET', bucketName);
  grantPrefix(
    fn,
    bucketName,
    PHOTO_UPLOAD_PREFIX,
    ['s3:PutObject'],
    'Signs upload forms, each for one key uploads/<complaint>/<photo> with random ids; the prefix is all it may write.',
  );
}

/** Sets PHOTO_BUCKET and lets the role sign links to checked copies (a link reads with the signer's s3:GetObject). */
export function allowPhotoViews(fn: UtilityFunction, config: UtilityConfig): void {
  const bucketName = photoBucketName(config.id);
  fn.function.addEnvironment('PHOTO_BUCKET', bucketName);
  grantPrefix(
    fn,
    bucketName,
    PHOTO_COPY_PREFIX,
    ['s3:GetObject'],
    'Signs short-lived links to checked copies under photos/, one per photo; never the unchecked uploads.',
  );
}

function grantPrefix(
  fn: UtilityFunction,
  bucketName: string,
  prefix: string,
  actions: string[],
  why: string,
): void {
  const resource = objectsUnder(fn, bucketName, prefix);
  fn.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [resource] }));
  Validations.of(fn).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${renderForNag(fn, resource)}]`,
    reason: why,
  });
}

export interface PhotoCheckFunctionProps {
  config: UtilityConfig;
  table: ITable;
  signingSecret: ISecret;
  /** The photo upload queue the data stack's ComplaintPhotos holds. */
  queue: IQueue;
}

/**
 * The stateless half: the PhotoCheck function polling the upload queue, allowed to read and delete uploads/, write
 * the checked copies to photos/, and record the outcome on the complaint in the table.
 */
export function photoCheckFunction(scope: Construct, props: PhotoCheckFunctionProps): UtilityFunction {
  const { config } = props;
  const fn = new UtilityFunction(scope, photoCheckConsumer.id, {
    entry: photoCheckConsumer.entry,
    config,
    description: `Queue consumer ${photoCheckConsumer.id}: checks complaint photo uploads and keeps clean copies`,
    timeout: CONSUMER_RUNTIME.timeout,
    // A 50-megapixel photo decodes to 200 MB of pixels; Lambda's CPU share grows with memory, and decoding is CPU.
    memorySize: 2048,
    usesPhotoBucket: true,
  });
  fn.bindTable(props.table, photoCheckConsumer.table);
  fn.bindSigningSecret(props.signingSecret);
  const bucketName = photoBucketName(config.id);
  fn.function.addEnvironment('PHOTO_BUCKET', bucketName);
  grantPrefix(
    fn,
    bucketName,
    PHOTO_UPLOAD_PREFIX,
    ['s3:GetObject', 's3:DeleteObject'],
    'Reads and deletes the unchecked uploads, whose keys are uploads/<complaint>/<photo>; nothing else of the bucket.',
  );
  grantPrefix(
    fn,
    bucketName,
    PHOTO_COPY_PREFIX,
    ['s3:PutObject'],
    'Writes the checked copies, photos/<complaint>/<photo>.jpg; nothing else of the bucket.',
  );
  fn.function.addEventSource(
    new SqsEventSource(props.queue, {
      // One photo per invocation: decoding a large one may take most of the timeout by itself.
      batchSize: 1,
      reportBatchItemFailures: true,
      // Uploads are public: a burst of them waits in the queue rather than taking the account's concurrency
      // from the API functions (2 is the least SQS allows).
      maxConcurrency: PHOTO_CHECK_MAX_CONCURRENCY,
    }),
  );
  return fn;
}
