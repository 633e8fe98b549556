// Variants of a demo utility's configuration for the providers the demos do not use.
import type { EmailChannelConfig, SmsOutboundConfig, UtilityConfig } from '#config/schema';

/** One outbound SMS profile per provider (the demos themselves use their domestic gateways). */
export const OUTBOUND_VARIANTS = {
  'end-user-messaging': {
    provider: 'end-user-messaging',
    originationIdentity: 'TESK',
    optOutListName: 'Default',
  },
  sns: { provider: 'sns', senderId: 'TESK', smsType: 'Transactional' },
  pinpoint: {
    provider: 'pinpoint',
    applicationId: '0123456789abcdef0123456789abcdef',
    senderId: 'TESK',
    optOutListName: 'Default',
  },
} as const satisfies Record<string, SmsOutboundConfig>;

/** The config with another outbound SMS provider and, if given, another e-mail channel. */
export function withChannels(
  config: UtilityConfig,
  outbound: SmsOutboundConfig,
  email: EmailChannelConfig = config.channels.email,
): UtilityConfig {
  return {
    ...config,
    channels: { ...config.channels, sms: { ...config.channels.sms, outbound }, email },
  };
}

/** The config with the utility's own billing system making the bills (billing.engine "external"). */
export function withExternalBilling(config: UtilityConfig): UtilityConfig {
  return { ...config, billing: { ...config.billing, engine: 'external' } };
}
