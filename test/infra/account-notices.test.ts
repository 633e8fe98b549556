// Who may queue one account's notices (auto-pay results): the notice queues only, never an SMS provider.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes } from '#handlers/http/routes';
import { sharedSynth } from '#test/support/shared-synth';

describe('routes that queue account notices', () => {
  it('are the auto-pay results route, which may send to the notice and planner queues and reach no provider', () => {
    // The bank's results are recorded behind the admin route; the notices go through the sender like any other,
    // so quiet hours, opt-outs and once-only sending hold for them.
    const queuers = httpRoutes.filter((r) => r.queuesNotices).map((r) => r.id);
    expect(queuers).toEqual(['RecordAutoPayResults']);
    const synth = sharedSynth(loadUtilityConfig('seoul-water'));
    const sends = synth
      .statementsOf('RecordAutoPayResults')
      .filter((st) => [st.Action].flat().includes('sqs:SendMessage'))
      .flatMap((st) => [synth.deployment.api.resolve(st.Resource)].flat().map((r) => JSON.stringify(r)));
    expect(sends).toHaveLength(2);
    expect(sends.join(' ')).toContain('NoticeSend');
    expect(sends.join(' ')).toContain('NoticePlan');
    const environment = synth.environmentOf('RecordAutoPayResults');
    expect(JSON.stringify(environment.NOTICE_SEND_QUEUE_URL)).toContain('NoticeSend');
    expect(JSON.stringify(environment.NOTICE_PLAN_QUEUE_URL)).toContain('NoticePlan');
    for (const prefix of ['sms-voice:', 'sns:Publish', 'mobiletargeting:', 'ses:']) {
      expect(synth.actionsOf('RecordAutoPayResults').filter((action) => action.startsWith(prefix))).toEqual(
        [],
      );
    }
  });
});
