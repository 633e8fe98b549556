// The resident-facing text of a refused reading, the same by SMS and on the web: one wording per rule.
import type { UtilityConfig } from '#config/schema';
import { isReadingReplyKind, type ReplyContext, readingReply } from '#domain/reading-replies';
import type { ReadingRejected } from './readings.ts';

/** The examples every error reply shows, built from the utility's own account format and separator. */
export function replyContext(config: UtilityConfig, utilityName: string): ReplyContext {
  const separator = config.readings.separators[0] ?? ' ';
  const account = config.accountNumber.example;
  const twoTariff = config.meterKinds.some((k) => k.registers.length === 2);
  return {
    utilityName,
    examples: {
      single: [account, '1234'].join(separator),
      twoTariff: twoTariff ? [account, '1234', '187'].join(separator) : undefined,
    },
    window: config.readings.window,
  };
}

/** What the SMS reply to this refusal says, in `language`; undefined for a refusal that has no reply text. */
export function refusalText(
  language: string,
  context: ReplyContext,
  error: ReadingRejected,
  accountNumber: string,
): string | undefined {
  if (!isReadingReplyKind(error.type)) return undefined;
  const extra = error.extensions as {
    registers?: string[];
    digits?: number;
    value?: number;
    previous?: number;
    max?: number;
  };
  return readingReply(language, error.type, context, {
    account: accountNumber,
    count: extra.registers?.length ?? 0,
    digits: extra.digits ?? 0,
    value: extra.value ?? 0,
    previous: extra.previous ?? 0,
    max: extra.max ?? 0,
  });
}
