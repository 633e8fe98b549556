// Guards against SMS pumping in the template: SMS only to the utility's country, and an alarm when the day's codes run out.

import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { getCountries } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import type { SmsOutboundConfig, UtilityConfig } from '#config/schema';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { queueConsumers } from '#handlers/sqs/consumers';
import { ApiStack } from '#lib/api-stack';
import { buildApp, cdkJsonContext, fromDataStack, type UtilityDeployment } from '#lib/app';
import { DataStack } from '#lib/data-stack';
import { MAX_COUNTRY_RULES } from '#lib/sms-protect-configuration';
import { OUTBOUND_VARIANTS, withChannels } from '#test/support/configs';
import { sharedSynth } from '#test/support/shared-synth';

type CountryRule = { CountryCode: string; ProtectStatus: string };

function deploy(config: UtilityConfig, deletionProtection = true) {
  if (deletionProtection) {
    const shared = sharedSynth(config);
    return { deployment: shared.deployment, data: shared.data, api: shared.template };
  }
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
  });
  const deployment = buildApp({ app, config, deletionProtection, nag: false });
  return {
    deployment,
    data: Template.fromStack(deployment.data),
    api: Template.fromStack(deployment.api),
  };
}

function protectConfigurations(data: Template) {
  return Object.entries(data.findResources('AWS::SMSVOICE::ProtectConfiguration'));
}

function onlyProtectConfiguration(data: Template) {
  const found = protectConfigurations(data);
  expect(found).toHaveLength(1);
  const [logicalId, resource] = found[0] ?? [];
  return { logicalId: logicalId ?? '', resource };
}

function smsRules(data: Template): CountryRule[] {
  return onlyProtectConfiguration(data).resource?.Properties.CountryRuleSet.SMS ?? [];
}

/** The environment variables of a route's or consumer's function, as the API template holds them. */
function environmentOf(deployment: UtilityDeployment, api: Template, id: string): Record<string, unknown> {
  const fn = deployment.api.functions.get(id);
  if (!fn) throw new Error(`no function ${id}`);
  const logicalId = deployment.api.getLogicalId(fn.function.node.defaultChild as CfnResource);
  return api.toJSON().Resources[logicalId].Properties.Environment.Variables;
}

/** What a value in the API stack stands for: a cross-stack reference followed to the data stack output's value. */
function valueInData(data: Template, value: unknown): unknown {
  const reference = (value as { 'Fn::GetStackOutput'?: { OutputName: string } })['Fn::GetStackOutput'];
  if (!reference) return value;
  return (data.toJSON().Outputs as Record<string, { Value: unknown }>)[reference.OutputName]?.Value;
}

const entries = [...httpRoutes, notFoundRoute, ...queueConsumers];
const smsSenders = entries.filter((e) => e.sendsSms).map((e) => e.id);
const endUserMessaging: SmsOutboundConfig = OUTBOUND_VARIANTS['end-user-messaging'];

describe.each([
  ['seoul-water', 'KR', ['CN', 'JP', 'KP', 'RU', 'US']],
  ['tyumen-power', 'RU', ['KZ', 'BY', 'UA', 'KR', 'CN']],
] as const)(
  'the SMS protect configuration of %s sending through End User Messaging',
  (utility, home, neighbours) => {
    const config = withChannels(loadUtilityConfig(utility), endUserMessaging);
    const { deployment, data, api } = deploy(config);
    const rules = smsRules(data);

    it(`allows SMS to ${home}, the utility's country, and to no other country`, () => {
      expect(config.country).toBe(home);
      expect(rules.filter((rule) => rule.ProtectStatus === 'ALLOW')).toEqual([
        { CountryCode: home, ProtectStatus: 'ALLOW' },
      ]);
    });

    it(`blocks its neighbours (${neighbours.join(', ')})`, () => {
      for (const country of neighbours) {
        expect(rules, country).toContainEqual({ CountryCode: country, ProtectStatus: 'BLOCK' });
      }
    });

    // A country the rule set leaves out is allowed by End User Messaging: every country must have its rule.
    it("blocks every other country libphonenumber-js knows, one rule each, within End User Messaging's limit", () => {
      const countries = getCountries();
      expect(rules.map((rule) => rule.CountryCode).sort()).toEqual([...countries].sort());
      expect(new Set(rules.map((rule) => rule.CountryCode)).size).toBe(rules.length);
      expect(rules.filter((rule) => rule.ProtectStatus === 'BLOCK')).toHaveLength(countries.length - 1);
      expect(rules.length).toBeLessThanOrEqual(MAX_COUNTRY_RULES);
    });

    it('rules SMS only (the utility sends no voice or MMS), and is deletion-protected and retained', () => {
      const { resource } = onlyProtectConfiguration(data);
      expect(Object.keys(resource?.Properties.CountryRuleSet)).toEqual(['SMS']);
      expect(resource?.Properties.DeletionProtectionEnabled).toBe(true);
      expect(resource?.DeletionPolicy).toBe('Retain');
      expect(resource?.Properties.Tags).toContainEqual({ Key: 'Name', Value: `utilitydesk-${utility}-sms` });
    });

    it('hands its id to the functions that send SMS, and to no other function', () => {
      const { logicalId } = onlyProtectConfiguration(data);
      expect(smsSenders.sort()).toEqual(['NoticeSend', 'SmsOutbound']);
      for (const id of smsSenders) {
        const variable = environmentOf(deployment, api, id).SMS_PROTECT_CONFIGURATION_ID;
        expect(valueInData(data, variable), id).toEqual({
          'Fn::GetAtt': [logicalId, 'ProtectConfigurationId'],
        });
      }
      for (const entry of entries.filter((e) => !e.sendsSms)) {
        expect(
          environmentOf(deployment, api, entry.id).SMS_PROTECT_CONFIGURATION_ID,
          entry.id,
        ).toBeUndefined();
      }
    });
  },
);

describe('the SMS protect configuration, by provider and deployment', () => {
  it('follows -c deletionProtection=false: not protected, deleted with the stack', () => {
    const { data } = deploy(withChannels(loadUtilityConfig('tyumen-power'), endUserMessaging), false);
    const { resource } = onlyProtectConfiguration(data);
    expect(resource?.Properties.DeletionProtectionEnabled).toBe(false);
    expect(resource?.DeletionPolicy).toBe('Delete');
  });

  // SNS and Pinpoint cannot name one per message: it is created for operators to make it the account default.
  it.each(['sns', 'pinpoint'] as const)(
    'is created for %s with the same rules, its id in an output, and set on no function',
    (provider) => {
      const config = withChannels(loadUtilityConfig('seoul-water'), OUTBOUND_VARIANTS[provider]);
      const { deployment, data, api } = deploy(config);
      expect(smsRules(data).filter((rule) => rule.ProtectStatus === 'ALLOW')).toEqual([
        { CountryCode: 'KR', ProtectStatus: 'ALLOW' },
      ]);
      expect(smsRules(data)).toContainEqual({ CountryCode: 'CN', ProtectStatus: 'BLOCK' });
      const { logicalId } = onlyProtectConfiguration(data);
      expect(data.toJSON().Outputs.SmsProtectConfigurationId.Value).toEqual({
        'Fn::GetAtt': [logicalId, 'ProtectConfigurationId'],
      });
      expect(data.toJSON().Outputs.SmsProtectConfigurationId.Description).toMatch(/account default/);
      for (const entry of entries) {
        expect(
          environmentOf(deployment, api, entry.id).SMS_PROTECT_CONFIGURATION_ID,
          entry.id,
        ).toBeUndefined();
      }
    },
  );

  it('must be given to an API stack whose functions send through End User Messaging', () => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    });
    const config = withChannels(loadUtilityConfig('seoul-water'), endUserMessaging);
    const data = new DataStack(app, 'Data', { config, deletionProtection: true });
    const withoutProtection = () =>
      new ApiStack(app, 'Api', { config, ...fromDataStack(data), smsProtectConfigurationId: undefined });
    expect(withoutProtection).toThrow('End User Messaging senders need an SMS protect configuration');
  });

  it('is not created where a domestic gateway sends the SMS (the demos as configured)', () => {
    for (const utility of ['seoul-water', 'tyumen-power']) {
      const config = loadUtilityConfig(utility);
      expect(config.channels.sms.outbound.provider).toBe('gateway');
      expect(protectConfigurations(deploy(config).data)).toEqual([]);
    }
  });
});
