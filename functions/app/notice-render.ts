// Use case helper: a notice's texts for its subscriber, from the utility's configuration, the account and the bill.
import { localize, primaryLanguage, type UtilityConfig } from '#config/schema';
import type { Account } from '#domain/account';
import type { Bill } from '#domain/bill';
import { billSummaryText } from '#domain/messages';
import { formatMoney } from '#domain/money';
import type { Subscription } from '#domain/subscription';

export interface RenderedNotice {
  messenger: { templateKey: string; parameters: Record<string, string>; text: string };
  sms: { text: string; size: { parts: number; type: 'SMS' | 'LMS'; fits: boolean } };
}

/** The bill notice in the subscriber's language (the utility's own when it does not have that one). */
export function renderBillNoticeFor(
  config: UtilityConfig,
  subscription: Subscription,
  account: Account,
  bill: Bill,
): RenderedNotice {
  const language = config.languages.includes(subscription.language)
    ? subscription.language
    : primaryLanguage(config);
  const utilityName = localize(config, config.name, language);
  const amount = formatMoney(bill.amountDue, bill.currency, config.locale);
  const text = billSummaryText(language, {
    utilityName,
    period: bill.period,
    amount,
    dueDate: bill.dueDate,
    status: bill.status,
  });
  return {
    messenger: {
      templateKey: `bill-${account.paymentMethod}`,
      parameters: { period: bill.period, amount, dueDate: bill.dueDate },
      text,
    },
    sms: { text, size: { parts: Math.ceil([...text].length / 67), type: 'SMS', fits: true } },
  };
}
