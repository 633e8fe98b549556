// The SMS gateway webhook as CloudFormation will create it: a secret per gateway, a function that may enqueue.
import type { CfnResource } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { queueConsumers, smsInboundConsumer } from '#handlers/sqs/consumers';
import { sharedSynth } from '#test/support/shared-synth';

const config = loadUtilityConfig('seoul-water');
const seoul = sharedSynth(config);
const { data, api } = seoul.deployment;
const dataTemplate = seoul.data;
const apiTemplate = seoul.template;
const WEBHOOK = 'SmsGatewayWebhook';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

const logicalId = (stack: typeof data | typeof api, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnResource);

/** What a cross-stack value in the API stack stands for in the data stack (weak or strong reference). */
function producedByData(value: unknown): unknown {
  const outputs = dataTemplate.toJSON().Outputs as Record<
    string,
    { Value: unknown; Export?: { Name: unknown } }
  >;
  const weak = (value as { 'Fn::GetStackOutput'?: { OutputName: string } })['Fn::GetStackOutput'];
  if (weak) return outputs[weak.OutputName]?.Value;
  const imported = (value as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
  if (imported !== undefined) {
    return Object.values(outputs).find((o) => JSON.stringify(o.Export?.Name) === JSON.stringify(imported))
      ?.Value;
  }
  return value;
}

function statementsOf(id: string): Statement[] {
  const fn = api.functions.get(id);
  if (!fn) throw new Error(`no function ${id}`);
  const roleId = logicalId(api, fn.role);
  return Object.values(
    apiTemplate.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

const resources = (statement: Statement | undefined) => [statement?.Resource].flat().map(producedByData);
const withAction = (id: string, action: string) =>
  statementsOf(id).filter((s) => [s.Action].flat().includes(action));

const inbound = data.consumerQueues.get(smsInboundConsumer.id);
if (!inbound) throw new Error('no inbound queue');
const queueId = logicalId(data, inbound.queue);
const queueKeyArn = dataTemplate.toJSON().Resources[queueId].Properties.KmsMasterKeyId;
const gatewaySecretIds = [...data.gatewaySecrets.values()].map((secret) => logicalId(data, secret));

describe('the gateway secrets', () => {
  it('are one generated secret per configured gateway, encrypted with a rotating key, kept on delete', () => {
    expect([...data.gatewaySecrets.keys()]).toEqual(config.channels.sms.inboundGateways.map((g) => g.id));
    for (const id of gatewaySecretIds) {
      const secret = dataTemplate.toJSON().Resources[id];
      expect(secret.Type).toBe('AWS::SecretsManager::Secret');
      expect(secret.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(48);
      expect(secret.DeletionPolicy).toBe('Retain');
      const keyId = (secret.Properties.KmsKeyId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      expect(dataTemplate.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    }
  });

  it('say why they are not rotated automatically', () => {
    for (const secret of data.gatewaySecrets.values()) {
      const acknowledged = secret.node.metadata.filter(
        (entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
      );
      expect(JSON.stringify(acknowledged.map((entry) => entry.data))).toMatch(
        /AwsSolutions-SMG4.*aggregator/,
      );
    }
  });
});

describe('the webhook function', () => {
  const fn = api.functions.get(WEBHOOK);
  const variables = () =>
    apiTemplate.toJSON().Resources[logicalId(api, fn?.function ?? { node: {} })].Properties.Environment
      .Variables;

  it('serves POST /sms/inbound/{gateway}, with no table access and no SMS sending', () => {
    const entry = httpRoutes.find((r) => r.id === WEBHOOK);
    expect(entry).toMatchObject({ table: 'none', sendsSms: false, enqueuesInboundSms: true });
    expect(`${entry?.route.method} ${entry?.route.path}`).toBe('POST /sms/inbound/{gateway}');
    apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /sms/inbound/{gateway}',
    });
  });

  it('may send to the inbound SMS queue only, with the two key actions SQS needs from a sender', () => {
    const sends = withAction(WEBHOOK, 'sqs:SendMessage');
    expect(sends).toHaveLength(1);
    expect(resources(sends[0])).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    const keyStatement = withAction(WEBHOOK, 'kms:GenerateDataKey')[0];
    expect([keyStatement?.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(resources(keyStatement)).toEqual([queueKeyArn]);
    expect(JSON.stringify(variables().INBOUND_QUEUE_URL)).toBeDefined();
    expect(producedByData(variables().INBOUND_QUEUE_URL)).toEqual({ Ref: queueId });
  });

  it('may read every gateway secret, and finds them by gateway id in GATEWAY_SECRET_ARNS', () => {
    const reads = withAction(WEBHOOK, 'secretsmanager:GetSecretValue').flatMap(resources);
    for (const id of gatewaySecretIds) expect(reads).toContainEqual({ Ref: id });
    const arns = JSON.stringify(variables().GATEWAY_SECRET_ARNS);
    for (const gateway of config.channels.sms.inboundGateways) expect(arns).toContain(gateway.id);
  });

  it('is the only function that may enqueue inbound SMS; the others read at most the sending gateway’s secret', () => {
    const outbound = config.channels.sms.outbound;
    const sending = outbound.provider === 'gateway' ? data.gatewaySecrets.get(outbound.gateway) : undefined;
    for (const entry of [...httpRoutes, notFoundRoute, ...queueConsumers].filter((e) => e.id !== WEBHOOK)) {
      const sends = withAction(entry.id, 'sqs:SendMessage').flatMap(resources);
      expect(sends, entry.id).not.toContainEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
      const reads = withAction(entry.id, 'secretsmanager:GetSecretValue').flatMap(resources);
      // The delivery-report webhook verifies the same gateways' signatures (test/infra/sms-delivery-events.test.ts).
      if (entry.id === 'SmsDeliveryReportWebhook') continue;
      for (const secret of data.gatewaySecrets.values()) {
        if (entry.sendsSms && secret === sending) continue;
        expect(reads, entry.id).not.toContainEqual({ Ref: logicalId(data, secret) });
      }
    }
  });

  it("is public at API Gateway, acknowledged because the gateway's HMAC signature verifies each request", () => {
    const acknowledged = api.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .map((entry) => `${c.node.path} ${JSON.stringify(entry.data)}`),
      );
    const onWebhook = acknowledged.filter(
      (line) => line.includes('AwsSolutions-APIG4') && /sms--inbound/.test(line),
    );
    expect(onWebhook.length).toBeGreaterThan(0);
    for (const line of onWebhook) expect(line).toMatch(/verified by the gateway's HMAC signature/);
  });
});
