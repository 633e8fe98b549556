// Use case: a bill's receipt, the facts of the bill and its payments written out for printing.
import { localize, primaryLanguage } from '#config/schema';
import { localDate } from '#domain/calendar';
import { noticeLanguage } from '#domain/notice-text';
import { buildReceipt, type Receipt } from '#domain/receipt';
import { billAndAccount } from './bills.ts';
import type { Deps } from './ports.ts';

export async function getReceipt(
  deps: Pick<Deps, 'config' | 'clock' | 'bills' | 'accounts'>,
  request: { accountNumber: string; period: string },
): Promise<Receipt> {
  const { config } = deps;
  const { bill, account } = await billAndAccount(deps, request);
  // The utility's own language: a receipt is the utility's document, whoever asks for it.
  const language = noticeLanguage(primaryLanguage(config), config);
  return buildReceipt(bill, account, {
    formatting: {
      language,
      region: config.locale.slice(3) || config.country,
      currency: bill.currency,
      country: config.country,
      timeZone: config.timeZone,
    },
    utilityName: localize(config, config.name, language),
    contactPhone: config.contactPhone,
    today: localDate(deps.clock.now(), config.timeZone),
  });
}
