// Who may send SMS and e-mail, for each provider a utility can configure: only the declared senders, only there.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { queueConsumers } from '#handlers/sqs/consumers';
import { OUTBOUND_VARIANTS, withChannels } from '#test/support/configs';
import { sharedSynth } from '#test/support/shared-synth';
import type { Statement, SynthesizedApi } from '#test/support/stack-policies';

const entries = [...httpRoutes, notFoundRoute, ...queueConsumers];
const smsSenders = entries.filter((e) => e.sendsSms).map((e) => e.id);
const emailSenders = entries.filter((e) => 'sendsEmail' in e && e.sendsEmail).map((e) => e.id);
const WEBHOOK = 'SmsGatewayWebhook';

const arn = (service: string, resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}`,
    ],
  ],
});

function withAction(synth: SynthesizedApi, id: string, prefix: string): Statement[] {
  return synth.statementsOf(id).filter((s) => [s.Action].flat().some((action) => action.startsWith(prefix)));
}

/** Each sender has exactly `expected`; every other function has no action of the service. */
function expectOnlySenders(synth: SynthesizedApi, prefix: string, senders: string[], expected: Statement[]) {
  for (const id of senders) {
    const found = withAction(synth, id, prefix).map((s) => ({
      ...s,
      // CDK merges statements on the same resources (X-Ray's "*" with SNS's): compare this service's actions.
      Action: [s.Action]
        .flat()
        .filter((action) => action.startsWith(prefix))
        .sort(),
      Resource: synth.deployment.api.resolve(s.Resource),
    }));
    expect(found, id).toEqual(expected.map((s) => expect.objectContaining(s)));
  }
  for (const entry of entries.filter((e) => !senders.includes(e.id))) {
    expect(
      synth.actionsOf(entry.id).filter((action) => action.startsWith(prefix)),
      entry.id,
    ).toEqual([]);
  }
}

describe('SMS senders, by the configured provider', () => {
  it('are the two senders: the outbound queue that carries every code and reply, and the notice sender', () => {
    expect(smsSenders.sort()).toEqual(['NoticeSend', 'SmsOutbound']);
  });

  // The public routes that text codes (or confirm readings) reach no provider: they queue the message, so they
  // answer in the same time whether it goes out or not, and a stranger calling them cannot make them call one.
  it('leaves the routes that text codes, confirm readings or update complaints able to queue them, and no more', () => {
    const synth = sharedSynth(loadUtilityConfig('seoul-water'));
    const queue = synth.deployment.data.consumerQueues.get('SmsOutbound')?.queue;
    const queueArn = synth.deployment.api.resolve(queue?.queueArn);
    const queuers = entries
      .filter(
        (e) =>
          ('queuesSms' in e && e.queuesSms) ||
          ('queuesEmail' in e && e.queuesEmail) ||
          ('queuesUpdates' in e && e.queuesUpdates),
      )
      .map((e) => e.id);
    expect(queuers.sort()).toEqual([
      'AddHouseholdPhone',
      'AdminMergeComplaint',
      'AdminTransitionComplaint',
      'AuthOtp',
      'SubmitReading',
      'Subscribe',
      'SubscriptionCode',
    ]);
    // The inbound consumer queues its replies and confirmations the same way.
    for (const id of [...queuers, 'SmsInbound']) {
      const sends = synth.statementsOf(id).filter((st) => [st.Action].flat().includes('sqs:SendMessage'));
      expect(
        sends.map((st) => JSON.stringify(synth.deployment.api.resolve(st.Resource))),
        id,
      ).toEqual([expect.stringContaining('SmsOutbound')]);
      expect(JSON.stringify(synth.environmentOf(id).OUTBOUND_QUEUE_URL), id).toContain('SmsOutbound');
      for (const prefix of ['sms-voice:', 'sns:Publish', 'mobiletargeting:', 'ses:']) {
        expect(
          synth.actionsOf(id).filter((action) => action.startsWith(prefix)),
          id,
        ).toEqual([]);
      }
    }
    expect(queueArn).toBeDefined();
  });

  it('End User Messaging: SendTextMessage and the opt-out list, in this account and region', () => {
    const tyumen = loadUtilityConfig('tyumen-power');
    const synth = sharedSynth(withChannels(tyumen, OUTBOUND_VARIANTS['end-user-messaging']));
    expectOnlySenders(synth, 'sms-voice:', smsSenders, [
      {
        Action: ['sms-voice:DescribeOptedOutNumbers', 'sms-voice:SendTextMessage'],
        Resource: arn('sms-voice', '*'),
      },
    ]);
  });

  it('SNS: Publish and the opt-out check, which name no resource, and nothing of End User Messaging', () => {
    const synth = sharedSynth(withChannels(loadUtilityConfig('tyumen-power'), OUTBOUND_VARIANTS.sns));
    expectOnlySenders(synth, 'sns:', smsSenders, [
      { Action: ['sns:CheckIfPhoneNumberIsOptedOut', 'sns:Publish'], Resource: '*' },
    ]);
    expectOnlySenders(synth, 'sms-voice:', [], []);
  });

  it("Pinpoint: SendMessages to the configured project only, and End User Messaging's opt-out list", () => {
    const synth = sharedSynth(withChannels(loadUtilityConfig('tyumen-power'), OUTBOUND_VARIANTS.pinpoint));
    expectOnlySenders(synth, 'mobiletargeting:', smsSenders, [
      {
        Action: ['mobiletargeting:SendMessages'],
        Resource: arn('mobiletargeting', 'apps/0123456789abcdef0123456789abcdef/messages'),
      },
    ]);
    expectOnlySenders(synth, 'sms-voice:', smsSenders, [
      { Action: ['sms-voice:DescribeOptedOutNumbers'], Resource: arn('sms-voice', '*') },
    ]);
  });

  describe.each(['seoul-water', 'tyumen-power'] as const)(
    'a domestic gateway (%s, as configured)',
    (utility) => {
      const config = loadUtilityConfig(utility);
      const synth = sharedSynth(config);
      const outbound = config.channels.sms.outbound;
      if (outbound.provider !== 'gateway')
        throw new Error(`${utility} is expected to send through its gateway`);
      const secret = synth.deployment.data.gatewaySecrets.get(outbound.gateway);
      if (!secret) throw new Error(`no secret for ${outbound.gateway}`);
      const secretArn = synth.deployment.api.resolve(secret.secretArn);

      it("lets the senders read that gateway's secret, named in GATEWAY_SECRET_ARNS, and use no AWS SMS service", () => {
        for (const id of smsSenders) {
          const reads = withAction(synth, id, 'secretsmanager:GetSecretValue').flatMap((s) =>
            [synth.deployment.api.resolve(s.Resource)].flat(),
          );
          expect(reads, id).toContainEqual(secretArn);
          const variable = synth.deployment.api.resolve(synth.environmentOf(id).GATEWAY_SECRET_ARNS);
          expect(JSON.stringify(variable), id).toContain(outbound.gateway);
        }
        for (const prefix of ['sms-voice:', 'sns:Publish', 'mobiletargeting:']) {
          expectOnlySenders(synth, prefix, [], []);
        }
      });

      it("gives the secret to no function that neither sends SMS nor receives one of the gateway's webhooks", () => {
        // The delivery-report webhook checks the same signature as the inbound one, with the same secret.
        const webhooks = [WEBHOOK, 'SmsDeliveryReportWebhook'];
        for (const entry of entries.filter((e) => !e.sendsSms && !webhooks.includes(e.id))) {
          expect(synth.environmentOf(entry.id).GATEWAY_SECRET_ARNS, entry.id).toBeUndefined();
          const reads = withAction(synth, entry.id, 'secretsmanager:GetSecretValue').flatMap((s) =>
            [synth.deployment.api.resolve(s.Resource)].flat(),
          );
          expect(reads, entry.id).not.toContainEqual(secretArn);
        }
      });
    },
  );
});

describe('e-mail senders', () => {
  it('are the outbound sender alone: both paths that accept readings queue their confirmations', () => {
    expect(emailSenders).toEqual(['SmsOutbound']);
  });

  it('may SendEmail from the configured address only, through its identity or its domain and configuration set', () => {
    const seoul = loadUtilityConfig('seoul-water');
    const synth = sharedSynth(
      withChannels(seoul, seoul.channels.sms.outbound, {
        provider: 'ses',
        from: 'readings@seoul-water.example',
        configurationSet: 'utilitydesk',
      }),
    );
    expectOnlySenders(synth, 'ses:', emailSenders, [
      {
        Action: ['ses:SendEmail'],
        Resource: [
          arn('ses', 'configuration-set/utilitydesk'),
          arn('ses', 'identity/readings@seoul-water.example'),
          arn('ses', 'identity/seoul-water.example'),
        ],
        Condition: { StringEquals: { 'ses:FromAddress': 'readings@seoul-water.example' } },
      },
    ]);
  });

  it('is nobody where the utility sends no e-mail', () => {
    const tyumen = loadUtilityConfig('tyumen-power');
    const synth = sharedSynth(withChannels(tyumen, tyumen.channels.sms.outbound, { provider: 'none' }));
    expectOnlySenders(synth, 'ses:', [], []);
  });
});
