// The complaint photo bucket as CloudFormation will create it: private, encrypted, TLS-only, expiring what it keeps,
// upload events to a queue with a DLQ, the PhotoCheck function behind it, and least-privilege grants.
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { deadLetterSources } from '#handlers/sqs/queue-names';
import { photoBucketName } from '#lib/complaint-photos';
import { sharedSynth } from '#test/support/shared-synth';

const seoul = sharedSynth(loadUtilityConfig('seoul-water'));
const data = Template.fromStack(seoul.deployment.data);
const photos = seoul.deployment.data.complaintPhotos;
const resolve = (value: unknown) => Stack.of(seoul.deployment.data).resolve(value);
const bucketId = seoul.deployment.data.getLogicalId(photos.bucket.node.defaultChild as never);
const bucketName = {
  'Fn::Join': ['', ['seoul-water-complaint-photos-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
};

/** "arn:<partition>:s3:::seoul-water-complaint-photos-<account>-<region>/<prefix>*" as the template joins it. */
const objectsUnder = (prefix: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':s3:::seoul-water-complaint-photos-',
      { Ref: 'AWS::AccountId' },
      '-',
      { Ref: 'AWS::Region' },
      `/${prefix}*`,
    ],
  ],
});

const s3Statements = (id: string) =>
  seoul.statementsOf(id).filter((s) => [s.Action].flat().some((a) => String(a).startsWith('s3:')));

const photoBucket = () => data.findResources('AWS::S3::Bucket', { Properties: { BucketName: bucketName } });

describe('the complaint photo bucket', () => {
  it('is private, encrypted with S3-managed keys, owner-enforced, with access logs and a fixed name', () => {
    // Residents' photos of their homes and streets: nobody outside reads them except through a signed link.
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: bucketName,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { LogFilePrefix: 'complaint-photos/', DestinationBucketName: Match.anyValue() },
    });
  });

  it('refuses every request that is not over TLS', () => {
    // An old app posts the upload form over plain HTTP.
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('expires unchecked uploads after a day and checked copies after two years', () => {
    // An upload whose event was dead-lettered is never shown: it must not stay for ever either.
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: bucketName,
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Id: 'Uploads',
            Prefix: 'uploads/',
            ExpirationInDays: 1,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          }),
          Match.objectLike({
            Id: 'CheckedPhotos',
            Prefix: 'photos/',
            ExpirationInDays: 730,
            Status: 'Enabled',
          }),
        ],
      },
    });
  });

  it("leaves the bucket's CORS to the API stack, which allows the portal's origin only (test/infra/portal.test.ts)", () => {
    // The portal's domain exists only in the API stack; a rule here would be overwritten there on every deploy.
    const [bucket] = Object.values(photoBucket());
    expect(bucket?.Properties).toBeDefined();
    expect(bucket?.Properties.CorsConfiguration).toBeUndefined();
  });

  it('sends an event to the upload queue for each object created under uploads/ only', () => {
    // The checked copies the function writes under photos/ must not be checked again.
    data.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
            QueueArn: resolve(photos.uploadQueue.queue.queueArn),
          },
        ],
      },
    });
  });

  it('dead-letters an event after three failed checks and alarms the operators at the first one', () => {
    const dlqArn = resolve(photos.uploadQueue.deadLetterQueue.queueArn);
    data.hasResource('AWS::SQS::Queue', {
      Properties: Match.objectLike({ RedrivePolicy: { deadLetterTargetArn: dlqArn, maxReceiveCount: 3 } }),
    });
    data.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'UtilityDesk-seoul-water-PhotoCheckDeadLetters',
      Threshold: 0,
    });
  });

  it("names in its alarm a command that works: ops redrive photo-check, with the queue's URL a stack output", () => {
    // The alarm reaches an operator at night; the command it names must exist and its argument must be findable.
    data.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'UtilityDesk-seoul-water-PhotoCheckDeadLetters',
      AlarmDescription: Match.stringLikeRegexp(
        'npm run ops -- redrive photo-check --queue-url <PhotoCheckQueueUrl>',
      ),
    });
    expect(deadLetterSources().map((source) => source.name)).toContain('photo-check');
    expect(Object.values(data.findOutputs('PhotoCheckQueueUrl')).map((output) => output.Value)).toEqual([
      resolve(photos.uploadQueue.queue.queueUrl),
    ]);
  });

  it('refuses a utility id too long for an S3 bucket name', () => {
    expect(() => photoBucketName('a-very-long-utility-identifier-x')).toThrow(/too long/);
  });
});

describe('the PhotoCheck function', () => {
  it('takes the upload queue one photo at a time, reporting failed messages only, with memory to decode', () => {
    seoul.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FunctionName: { Ref: Match.stringLikeRegexp('^PhotoCheckFunction') },
      // A burst of public uploads waits in the queue instead of taking the API's concurrency.
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    seoul.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Queue consumer PhotoCheck'),
      MemorySize: 2048,
      Timeout: 30,
      Architectures: ['arm64'],
    });
    expect(seoul.environmentOf('PhotoCheck')).toMatchObject({ PHOTO_BUCKET: bucketName });
  });

  it('may read and delete uploads and write checked copies, and nothing else in the bucket', () => {
    // A bug in a decoder must not be able to change or read checked copies, or anything outside the two prefixes.
    expect(s3Statements('PhotoCheck')).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject'],
        Resource: objectsUnder('uploads/'),
      }),
      expect.objectContaining({ Effect: 'Allow', Action: 's3:PutObject', Resource: objectsUnder('photos/') }),
    ]);
  });
});

describe('the routes that sign for the bucket', () => {
  it('lets the upload form route put under uploads/ only: the form acts with its role', () => {
    expect(s3Statements('RequestComplaintPhoto')).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: objectsUnder('uploads/'),
      }),
    ]);
    expect(seoul.environmentOf('RequestComplaintPhoto')).toMatchObject({ PHOTO_BUCKET: bucketName });
  });

  it('lets the staff photo route read checked copies only, never an unchecked upload', () => {
    expect(s3Statements('GetComplaintPhoto')).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 's3:GetObject', Resource: objectsUnder('photos/') }),
    ]);
  });

  it('puts the staff JWT authorizer on the staff photo route, and none on the upload form route', () => {
    // The upload form is the reporter's, who holds the complaint's unguessable id but no account.
    const routes = Object.values(seoul.template.findResources('AWS::ApiGatewayV2::Route'));
    const byKey = new Map(routes.map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]));
    expect(byKey.get('GET /admin/complaints/{id}/photos/{photoId}')).toBe('JWT');
    expect(byKey.get('POST /complaints/{id}/photos')).toBe('NONE');
  });

  it('gives no other function any access to the photo bucket', () => {
    const allowed = new Set(['PhotoCheck', 'RequestComplaintPhoto', 'GetComplaintPhoto']);
    for (const id of seoul.deployment.api.functions.keys()) {
      if (allowed.has(id)) continue;
      expect(JSON.stringify(s3Statements(id)), id).not.toContain('complaint-photos');
    }
  });
});
