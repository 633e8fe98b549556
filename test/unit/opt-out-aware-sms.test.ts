// The one sender every SMS leaves through: no SMS to a number outside the utility's country, whatever it is for.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { noProviderOptOuts } from '#adapters/none';
import { OptOutAwareSms } from '#app/opt-out-aware-sms';
import { type SmsMessage, SmsRefusedError } from '#app/ports';
import { MemoryOptOuts } from '#test/support/memory-stores';

const PURPOSES: Array<SmsMessage['purpose']> = ['otp', 'reply', 'notice'];

function seoulSender() {
  const provider = new LocalSmsGateway(new ManualClock(new Date('2026-12-05T01:00:00Z')));
  return { provider, sms: new OptOutAwareSms(provider, new MemoryOptOuts(), noProviderOptOuts, 'KR') };
}

describe('an SMS to a number outside the utility’s country', () => {
  // A +44 sender texted HELP thirty times and got thirty replies through the domestic gateway, which, unlike End
  // User Messaging's protect configuration, sends anywhere: the guard must hold for every provider and purpose.
  it.each(PURPOSES)('is refused for good before any provider sees it (%s)', async (purpose) => {
    const { provider, sms } = seoulSender();

    const sending = sms.send({ to: '+447700900123', body: 'Seoul Water: text HELP', purpose });

    await expect(sending).rejects.toBeInstanceOf(SmsRefusedError);
    await expect(sending).rejects.toMatchObject({ reason: 'DESTINATION_OUTSIDE_UTILITY_COUNTRY' });
    expect(provider.list()).toEqual([]);
  });

  it('is refused too when it is no phone number at all (a sender ID that texted the utility)', async () => {
    const { provider, sms } = seoulSender();

    await expect(sms.send({ to: 'KAKAO', body: 'reply', purpose: 'reply' })).rejects.toBeInstanceOf(
      SmsRefusedError,
    );
    expect(provider.list()).toEqual([]);
  });

  it.each(PURPOSES)('does not stop a domestic number (%s)', async (purpose) => {
    const { provider, sms } = seoulSender();

    await sms.send({ to: '+821012345678', body: 'Seoul Water', purpose });

    expect(provider.list('+821012345678')).toHaveLength(1);
  });
});

describe('a notice whose opt-out state its sender read just before', () => {
  // A notice delivery reads its ten phones' opt-out states in one batch right before sending: the SMS edge goes by
  // that answer instead of reading each phone's state once more.
  it('is withheld when the answer says opted out, and sent when it says not', async () => {
    const { provider, sms } = seoulSender();

    const stopped = await sms.send({ to: '+821012345678', body: 'bill', purpose: 'notice', optedOut: true });
    await sms.send({ to: '+821087654321', body: 'bill', purpose: 'notice', optedOut: false });

    expect(stopped).toEqual({ messageId: '', suppressed: 'opted-out' });
    expect(provider.list('+821012345678')).toEqual([]);
    expect(provider.list('+821087654321')).toHaveLength(1);
  });

  it("is still withheld when the provider's own list has the phone", async () => {
    // The resident replied STOP to the provider's number: only the provider knows.
    const provider = new LocalSmsGateway(new ManualClock(new Date('2026-12-05T01:00:00Z')));
    const sms = new OptOutAwareSms(provider, new MemoryOptOuts(), { isOptedOut: async () => true }, 'KR');

    const sent = await sms.send({ to: '+821012345678', body: 'bill', purpose: 'notice', optedOut: false });

    expect(sent).toEqual({ messageId: '', suppressed: 'opted-out' });
    expect(provider.list()).toEqual([]);
  });
});
