// Every SMS leaves through this: a notice to a phone that opted out (here or at the provider) is not sent.
import type { OptOutStore, ProviderOptOutList, SmsMessage, SmsSender } from './ports.ts';

/**
 * Codes (asked for by the person at that moment) and replies to a message the person just sent
 * still go out; notices, which the person did not ask for just now, do not.
 */
export class OptOutAwareSms implements SmsSender {
  constructor(
    private readonly inner: SmsSender,
    private readonly optOuts: Pick<OptOutStore, 'isOptedOut'>,
    private readonly provider: ProviderOptOutList,
  ) {}

  async send(message: SmsMessage): Promise<{ messageId: string; suppressed?: 'opted-out' }> {
    if (message.purpose === 'notice') {
      const [ours, theirs] = await Promise.all([
        this.optOuts.isOptedOut(message.to),
        this.provider.isOptedOut(message.to),
      ]);
      if (ours || theirs) return { messageId: '', suppressed: 'opted-out' };
    }
    return this.inner.send(message);
  }
}
