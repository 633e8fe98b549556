// The notice context of a utility, read from its configuration once per run.
import type { UtilityConfig } from '#config/schema';
import type { NoticeContext } from './notice-text.ts';

/** What the configuration does not say yet: the auto-pay withdrawal day and a cap on SMS parts. */
export interface NoticeContextExtras {
  autoPayDay?: number;
  maxSmsParts?: number;
}

export function noticeContextFor(config: UtilityConfig, extras: NoticeContextExtras = {}): NoticeContext {
  const primary = config.locale.slice(0, 2);
  const units = new Set(config.meterKinds.map((meter) => meter.unit));
  const labels = (entries: Array<{ code: string; label: Record<string, string> }>) =>
    Object.fromEntries(entries.map((entry) => [entry.code, entry.label]));
  return {
    utilityName: config.name[primary] ?? config.id,
    utilityNames: config.name,
    contactPhone: config.contactPhone,
    currency: config.currency,
    locale: config.locale,
    country: config.country,
    timeZone: config.timeZone,
    languages: config.languages,
    // A utility with both kinds of meter (none today) gets the neutral announcement titles.
    service: units.size !== 1 ? undefined : units.has('kWh') ? 'electricity' : 'water',
    chargeLabels: labels(config.tariffs),
    reductionLabels: labels(config.reductions),
    autoPayDay: extras.autoPayDay,
    maxSmsParts: extras.maxSmsParts,
    messenger: config.channels.messenger.provider !== 'none',
    cycle: {
      window: config.readings.window,
      smsNumber: config.smsNumber,
      accountExample: config.accountNumber.example,
      readBy: config.readings.readBy,
      leakCheckText: config.readings.leakCheckText,
    },
  };
}
