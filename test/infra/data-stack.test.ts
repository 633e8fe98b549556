// The stateful stack as CloudFormation will create it: the single table, its key, and the signing secret.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE_INDEXES, TABLE_KEYS } from '#adapters/dynamo/table-definition';
import { loadUtilityConfig } from '#config/load';
import { buildApp, cdkJsonContext, readDeploymentContext } from '#lib/app';
import { sharedSynth } from '#test/support/shared-synth';

/** Builds the app the way bin/app.ts does, from CDK context, without bundling or the nag checks. */
function dataTemplate(context: Record<string, unknown> = {}): Template {
  // What bin/app.ts builds without any context is the shared demo: read it instead of building it again.
  if (Object.keys(context).length === 0)
    return sharedSynth(loadUtilityConfig(readDeploymentContext(new App()).utility)).data;
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
  });
  const { utility, deletionProtection } = readDeploymentContext(app);
  const { data } = buildApp({ app, config: loadUtilityConfig(utility), deletionProtection, nag: false });
  return Template.fromStack(data);
}

/** The properties of the KMS key that an `Fn::GetAtt [key, Arn]` in this template points to. */
function keyAt(template: Template, keyArn: unknown): Record<string, unknown> {
  const logicalId = (keyArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0] ?? '';
  const key = template.findResources('AWS::KMS::Key')[logicalId];
  expect(key, `${JSON.stringify(keyArn)} is no KMS key of this stack`).toBeDefined();
  return key?.Properties ?? {};
}

describe('the data stack', () => {
  const template = dataTemplate();
  const tables = template.findResources('AWS::DynamoDB::Table');
  const [tableId, table] = Object.entries(tables)[0] ?? [];

  it('holds exactly one table, keyed on string pk and sk and billed per request', () => {
    expect(Object.keys(tables)).toHaveLength(1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'utilitydesk-seoul-water',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
      ]),
    });
  });

  it('has point-in-time recovery and expires items by the ttl attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
    });
  });

  it('has every index of table-definition.ts with string keys, projecting all attributes', () => {
    const expected = TABLE_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }));
    expect(table?.Properties.GlobalSecondaryIndexes).toEqual(expected);
    const attributes = TABLE_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]);
    for (const name of attributes) {
      expect(table?.Properties.AttributeDefinitions).toContainEqual({
        AttributeName: name,
        AttributeType: 'S',
      });
    }
  });

  it('encrypts the table with a customer-managed KMS key of its own, which rotates', () => {
    const sse = table?.Properties.SSESpecification;
    expect(sse).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    const secretKeyArn = Object.values(template.findResources('AWS::SecretsManager::Secret'))[0]?.Properties
      .KmsKeyId;
    expect(sse.KMSMasterKeyId).not.toEqual(secretKeyArn);
    expect(keyAt(template, sse.KMSMasterKeyId).EnableKeyRotation).toBe(true);
  });

  it('rotates every KMS key it creates', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('generates a signing secret of at least 48 letters and digits, encrypted with a rotating KMS key', () => {
    // The signing secret; the others are the SMS gateways' (test/infra/sms-gateway.test.ts).
    const secrets = Object.entries(template.findResources('AWS::SecretsManager::Secret'))
      .filter(([id]) => id.startsWith('SigningSecret'))
      .map(([, secret]) => secret);
    expect(secrets).toHaveLength(1);
    const properties = secrets[0]?.Properties;
    expect(properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(48);
    expect(properties.GenerateSecretString.ExcludePunctuation).toBe(true);
    expect(keyAt(template, properties.KmsKeyId).EnableKeyRotation).toBe(true);
  });

  it('protects the table from deletion and retains table, keys and secret by default', () => {
    expect(tableId).toBeDefined();
    expect(table?.Properties.DeletionProtectionEnabled).toBe(true);
    for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy, type).toBe('Retain');
        expect(resource.UpdateReplacePolicy, type).toBe('Retain');
      }
    }
  });

  it('with -c deletionProtection=false, leaves the table unprotected and lets the stack delete its data', () => {
    // Prepare: the CLI passes context values as strings.
    const throwaway = dataTemplate({ deletionProtection: 'false' });

    // Assess
    throwaway.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret']) {
      for (const resource of Object.values(throwaway.findResources(type))) {
        expect(resource.DeletionPolicy, type).toBe('Delete');
      }
    }
  });
});
