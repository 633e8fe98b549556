// The ports the use cases talk to the world through; adapters implement them.
import type { UtilityConfig } from '#config/schema';
import type { Account } from '#domain/account';
import type { Bill } from '#domain/bill';
import type { OtpRecord } from '#domain/otp';
import type { Period } from '#domain/period';

export interface Clock {
  now(): Date;
}

export interface AccountStore {
  get(accountNumber: string): Promise<Account | undefined>;
  hasPhone(accountNumber: string, phone: string): Promise<boolean>;
  /** Which of these account numbers exist. */
  existing(accountNumbers: string[]): Promise<Set<string>>;
  /** Creates or replaces accounts with their phone index entries; phones no longer listed are removed. */
  putMany(accounts: Account[]): Promise<void>;
}

export interface BillPage {
  bills: Bill[];
  hasMore: boolean;
}

export interface BillStore {
  /** Newest period first; `before` starts the page after that period. */
  list(accountNumber: string, options: { limit: number; before?: Period }): Promise<BillPage>;
  get(accountNumber: string, period: Period): Promise<Bill | undefined>;
  /** Creates or replaces bills (same account and period -> same bill). */
  putMany(bills: Bill[]): Promise<void>;
}

export interface SendLog {
  sentAt: number[];
  version: number;
}

export interface OtpStore {
  get(accountNumber: string, phone: string): Promise<OtpRecord | undefined>;
  /** Stores a new code for (account, phone), replacing any earlier one. */
  put(record: OtpRecord, retainUntil: number): Promise<void>;
  /** Counts one try if fewer than `maxAttempts` were made; returns the new count, or undefined. */
  countAttempt(accountNumber: string, phone: string, maxAttempts: number): Promise<number | undefined>;
  /** Deletes the code if it is still the one given: true for exactly one of concurrent callers. */
  consume(accountNumber: string, phone: string, codeHash: string): Promise<boolean>;
  getSendLog(phone: string): Promise<SendLog>;
  /** Writes the log if nobody else did since `expectedVersion` was read; false otherwise. */
  putSendLog(phone: string, sentAt: number[], expectedVersion: number, retainUntil: number): Promise<boolean>;
}

export interface SmsMessage {
  to: string;
  body: string;
  /** Why it is sent: shown in the local outbox and passed to the provider as context. */
  purpose: 'otp' | 'reply' | 'notice';
}

export interface SmsSender {
  send(message: SmsMessage): Promise<{ messageId: string }>;
}

/** Keys derived from the deployment's signing secret, one per use. */
export interface SigningKeys {
  otp: Buffer;
  token: Buffer;
}

/** Everything a use case may need; each use case takes only the part it uses. */
export interface Deps {
  config: UtilityConfig;
  clock: Clock;
  accounts: AccountStore;
  bills: BillStore;
  otps: OtpStore;
  sms: SmsSender;
  keys: SigningKeys;
}
