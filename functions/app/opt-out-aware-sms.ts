// Every SMS leaves through this: none to a number abroad, and no notice to a phone that opted out (here or at the provider).
import { honoursOptOuts } from '#domain/outbound-purpose';
import { isDomestic } from '#domain/phone';
import {
  type OptOutStore,
  type ProviderOptOutList,
  type SmsMessage,
  SmsRefusedError,
  type SmsSender,
} from './ports.ts';

/** The refusal's reason for a number outside the utility's country, as a provider's reasons are written. */
const OUTSIDE_COUNTRY = 'DESTINATION_OUTSIDE_UTILITY_COUNTRY';

/**
 * Codes (asked for by the person at that moment) and replies to a message the person just sent
 * still go out to a phone that opted out; notices, which the person did not ask for just now, do not:
 * the purpose decides, by the rules of domain/outbound-purpose.ts, checked at send time.
 * Nothing goes abroad, whatever its purpose: a domestic gateway sends anywhere, and End User Messaging's
 * protect configuration is only as good as its deployment, so the utility's own country is checked here too.
 */
export class OptOutAwareSms implements SmsSender {
  constructor(
    private readonly inner: SmsSender,
    private readonly optOuts: Pick<OptOutStore, 'isOptedOut'>,
    private readonly provider: ProviderOptOutList,
    /** The utility's country (ISO 3166-1 alpha-2, config.country). */
    private readonly country: string,
  ) {}

  async send(message: SmsMessage): Promise<{ messageId: string; suppressed?: 'opted-out' }> {
    const { optedOut, ...outgoing } = message;
    if (!isDomestic(message.to, this.country)) throw new SmsRefusedError(OUTSIDE_COUNTRY);
    if (honoursOptOuts(message.purpose)) {
      const [ours, theirs] = await Promise.all([
        // A notice delivery reads its phones' states together right before sending: that answer stands.
        optedOut ?? this.optOuts.isOptedOut(message.to),
        this.provider.isOptedOut(message.to),
      ]);
      if (ours || theirs) return { messageId: '', suppressed: 'opted-out' };
    }
    return this.inner.send(outgoing);
  }
}
