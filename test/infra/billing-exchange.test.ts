// The billing exchange as CloudFormation will create it: a private TLS-only bucket, drop events to a queue with a DLQ, least-privilege BillDrop.
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { deadLetterSources } from '#handlers/sqs/queue-names';
import { allowReadingExports, billingExchangeBucketName } from '#lib/billing-exchange';
import { UtilityFunction } from '#lib/utility-function';
import { withExternalBilling } from '#test/support/configs';
import { sharedSynth } from '#test/support/shared-synth';

const external = sharedSynth(withExternalBilling(loadUtilityConfig('seoul-water')));
const data = Template.fromStack(external.deployment.data);
const exchange = external.deployment.data.billingExchange;
const resolve = (value: unknown) => Stack.of(external.deployment.data).resolve(value);
const bucketId = exchange
  ? external.deployment.data.getLogicalId(exchange.bucket.node.defaultChild as never)
  : '';

/** "arn:<partition>:s3:::seoul-water-billing-exchange-<account>-<region>/<prefix>*" as the template joins it. */
const objectsUnder = (prefix: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':s3:::seoul-water-billing-exchange-',
      { Ref: 'AWS::AccountId' },
      '-',
      { Ref: 'AWS::Region' },
      `/${prefix}*`,
    ],
  ],
});

describe('the billing exchange (billing.engine external)', () => {
  it('is a private, versioned bucket with S3-managed encryption, access logs and a fixed name', () => {
    // The utility's billing system is told the bucket name once; nobody else may read bills or readings.
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: {
        'Fn::Join': [
          '',
          ['seoul-water-billing-exchange-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
        ],
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { LogFilePrefix: 'billing-exchange/', DestinationBucketName: Match.anyValue() },
    });
  });

  it("has the billing-run schedule's function write the window's reading export, and nothing else there", () => {
    // The night after the window closes the readings go to the utility's system instead of a billing run.
    expect(external.environmentOf('BillingRunStart').BILLING_EXCHANGE_BUCKET).toBeDefined();
    const statements = external.statementsOf('BillingRunStart');
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('s3:')));
    expect(s3).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Resource: objectsUnder('readings/') }),
    ]);
  });

  it('expires old exports, processed drops and rejects after 400 days, replaced versions after 30', () => {
    // Files of a billing year and its corrections stay; the bucket does not grow for ever.
    data.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'readings/', ExpirationInDays: 400, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'bills/processed/', ExpirationInDays: 400 }),
          Match.objectLike({ Prefix: 'bills/rejects/', ExpirationInDays: 400 }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
        ]),
      },
    });
  });

  it('refuses every request that is not over TLS, on the bucket and on its access logs', () => {
    // A misconfigured client of the utility's system falls back to plain HTTP.
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy'));
    // Two more are the complaint photo bucket's (test/infra/complaint-photos.test.ts checks them).
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('sends an event to the drop queue for each .csv object created under bills/incoming/ only', () => {
    // Rejects and processed copies the function writes itself must not start another import.
    data.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'suffix', Value: '.csv' },
                  { Name: 'prefix', Value: 'bills/incoming/' },
                ],
              },
            },
            QueueArn: resolve(exchange?.dropQueue.queue.queueArn),
          },
        ],
      },
    });
  });

  it('dead-letters an event after three failed imports and alarms the operators at the first one', () => {
    // The table is unreachable for an hour: the drop must wait for a person, not vanish.
    const dlqArn = resolve(exchange?.dropQueue.deadLetterQueue.queueArn);
    data.hasResource('AWS::SQS::Queue', {
      Properties: Match.objectLike({ RedrivePolicy: { deadLetterTargetArn: dlqArn, maxReceiveCount: 3 } }),
    });
    data.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'UtilityDesk-seoul-water-BillDropDeadLetters',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'QueueName', Value: resolve(exchange?.dropQueue.deadLetterQueue.queueName) }],
    });
  });

  it("names in its alarm a command that works: ops redrive bill-drop, with the queue's URL a stack output", () => {
    data.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'UtilityDesk-seoul-water-BillDropDeadLetters',
      AlarmDescription: Match.stringLikeRegexp(
        'npm run ops -- redrive bill-drop --queue-url <BillDropQueueUrl>',
      ),
    });
    expect(deadLetterSources().map((source) => source.name)).toContain('bill-drop');
    expect(Object.values(data.findOutputs('BillDropQueueUrl')).map((output) => output.Value)).toEqual([
      resolve(exchange?.dropQueue.queue.queueUrl),
    ]);
  });

  it('lets S3 put events on the encrypted drop queue, from this bucket only', () => {
    // S3 must use the queue's KMS key; no other bucket may feed the queue.
    data.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } } },
          }),
        ]),
      },
    });
    data.hasResourceProperties('AWS::KMS::Key', {
      Description: 'UtilityDesk seoul-water: encrypts the bill drop queue and its dead-letter queue',
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['kms:GenerateDataKey*']),
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('gives BillDrop the drop queue one message at a time, reporting failed messages only', () => {
    // A 4 MiB drop may take most of the function's 30 s by itself.
    external.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FunctionName: { Ref: Match.stringLikeRegexp('^BillDropFunction') },
    });
    expect(external.environmentOf('BillDrop')).toMatchObject({
      BILLING_EXCHANGE_BUCKET: {
        'Fn::Join': [
          '',
          ['seoul-water-billing-exchange-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
        ],
      },
    });
  });

  it('lets BillDrop read and remove drops, write rejects and processed copies, and nothing else in the bucket', () => {
    // A bug in the import must not be able to change the reading exports or anything outside bills/.
    const s3 = external
      .statementsOf('BillDrop')
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion'],
        Resource: objectsUnder('bills/incoming/'),
      }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: [objectsUnder('bills/processed/'), objectsUnder('bills/rejects/')],
      }),
    ]);
    // The table: the bills and the done markers.
    expect(external.actionsOf('BillDrop')).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:BatchWriteItem']),
    );
  });

  it('gives no other function any access to the bucket', () => {
    // Only BillDrop and the billing-run schedule's export (tested above) may touch the exchange.
    for (const id of external.deployment.api.functions.keys()) {
      if (id === 'BillDrop' || id === 'BillingRunStart') continue;
      const s3 = external.statementsOf(id).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
      expect(JSON.stringify(s3), id).not.toContain('billing-exchange');
    }
  });
});

describe('the reading export grant', () => {
  it('lets the exporting function write readings/ of the exchange bucket and nothing else', () => {
    // Window close writes readings/2026-03.csv for the utility's system; it has no business in bills/.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Exports');
    const fn = new UtilityFunction(stack, 'WindowClose', {
      entry: 'functions/handlers/s3/bill-drop.ts',
      config: withExternalBilling(loadUtilityConfig('seoul-water')),
    });

    allowReadingExports(fn, billingExchangeBucketName('seoul-water'));

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 's3:PutObject', Resource: objectsUnder('readings/') },
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BILLING_EXCHANGE_BUCKET: Match.anyValue() }) },
    });
  });

  it('refuses a utility id too long for an S3 bucket name', () => {
    // S3 bucket names end at 63 characters; account and region take up to 27 of them.
    expect(() => billingExchangeBucketName('a-very-long-utility-identifier')).toThrow(/too long/);
  });
});

describe('a utility that makes its own bills (billing.engine internal)', () => {
  it('has no exchange bucket, drop queue or BillDrop function', () => {
    // Both demo utilities bill internally: nothing to exchange, nothing to secure or pay for.
    const internal = sharedSynth(loadUtilityConfig('seoul-water'));
    expect(internal.deployment.data.billingExchange).toBeUndefined();
    // The only buckets are the complaint photo bucket and its access logs.
    const buckets = Template.fromStack(internal.deployment.data).findResources('AWS::S3::Bucket');
    expect(JSON.stringify(buckets)).not.toContain('billing-exchange');
    expect(Object.keys(buckets)).toHaveLength(2);
    expect(internal.deployment.api.functions.has('BillDrop')).toBe(false);
  });
});
