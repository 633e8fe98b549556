// The messenger provider's API key as CloudFormation will create it: one secret, read by the notice sender only.
import type { CfnResource } from 'aws-cdk-lib';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { queueConsumers } from '#handlers/sqs/consumers';
import { buildApp, cdkJsonContext } from '#lib/app';
import { sharedSynth } from '#test/support/shared-synth';

const entries = [...httpRoutes, notFoundRoute, ...queueConsumers];
const messengerSenders = queueConsumers.filter((c) => c.sendsMessenger).map((c) => c.id);

describe('the messenger secret (Seoul: an AlimTalk provider over HTTPS)', () => {
  const config = loadUtilityConfig('seoul-water');
  const synth = sharedSynth(config);
  const { data } = synth.deployment;
  const dataTemplate = Template.fromStack(data);
  const secret = data.messengerSecret;
  if (!secret) throw new Error('Seoul has no messenger secret');
  const secretId = data.getLogicalId(secret.node.defaultChild as CfnResource);
  const profile = config.channels.messenger;
  if (profile.provider !== 'alimtalk-http') throw new Error('Seoul has no HTTP messenger profile');

  it('is one secret under the profile’s name, encrypted with a rotating key, kept on delete, its ARN an output', () => {
    const resource = dataTemplate.toJSON().Resources[secretId];
    expect(resource.Type).toBe('AWS::SecretsManager::Secret');
    expect(resource.Properties.Name).toBe('utilitydesk/seoul-water/alimtalk-api-key');
    expect(resource.Properties.Name).toBe(profile.secretName);
    expect(resource.DeletionPolicy).toBe('Retain');
    const keyId = (resource.Properties.KmsKeyId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect(dataTemplate.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    dataTemplate.hasOutput('MessengerSecretArn', { Value: { Ref: secretId } });
  });

  it('says why it is not rotated automatically: the provider issues the key', () => {
    const acknowledged = secret.node.metadata.filter(
      (entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
    );
    expect(JSON.stringify(acknowledged.map((entry) => entry.data))).toMatch(
      /AwsSolutions-SMG4.*provider issues/,
    );
  });

  it('is read by the notice sender, the one function that sends by messenger', () => {
    expect(messengerSenders).toEqual(['NoticeSend']);
  });

  it('may be read by the senders, who find it in MESSENGER_SECRET_ARN', () => {
    for (const id of messengerSenders) {
      const reads = synth
        .statementsOf(id)
        .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
        .flatMap((s) => [s.Resource].flat());
      expect(JSON.stringify(reads), id).toContain(secretId);
      expect(JSON.stringify(synth.environmentOf(id).MESSENGER_SECRET_ARN), id).toContain(secretId);
    }
  });

  it('is out of reach of every other function', () => {
    for (const entry of entries.filter((e) => !messengerSenders.includes(e.id))) {
      expect(JSON.stringify(synth.statementsOf(entry.id)), entry.id).not.toContain(secretId);
      expect(synth.environmentOf(entry.id).MESSENGER_SECRET_ARN, entry.id).toBeUndefined();
    }
  });
});

describe('a utility without a messenger (Tyumen)', () => {
  it('has no messenger secret, and no function is told of one', () => {
    const synth = sharedSynth(loadUtilityConfig('tyumen-power'));
    expect(synth.deployment.data.messengerSecret).toBeUndefined();
    for (const entry of entries) expect(synth.environmentOf(entry.id).MESSENGER_SECRET_ARN).toBeUndefined();
  });
});

describe('the local stand-in', () => {
  it('cannot be deployed', () => {
    const seoul = loadUtilityConfig('seoul-water');
    const config = { ...seoul, channels: { ...seoul.channels, messenger: { provider: 'local' as const } } };
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    expect(() => buildApp({ app, config, deletionProtection: true, nag: false })).toThrow(
      /channels\.messenger\.provider "local" is the local runtime's stand-in: deploy "alimtalk-http" or "none"/,
    );
  });
});
