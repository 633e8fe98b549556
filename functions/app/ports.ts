// The ports the use cases talk to the world through; adapters implement them.

import type { UtilityConfig } from '#config/schema';
import type { BillSweepPage } from '#contracts/bill-sweep';
import type { BillingPage } from '#contracts/billing-page';
import type { NoticeJob } from '#contracts/notice-job';
import type { NoticePlanPage } from '#contracts/notice-plan';
import type { OutboundJob } from '#contracts/outbound-message';
import type { Account } from '#domain/account';
import type { Announcement } from '#domain/announcement';
import type { AutoPayChange } from '#domain/auto-pay';
import type { Bill } from '#domain/bill';
import type { BillingCounts, BillingFailure, BillingRun } from '#domain/billing-run';
import type { Complaint, ComplaintStatus } from '#domain/complaint';
import { ValidationError } from '#domain/errors';
import type {
  NoticeChannel,
  NoticeKey,
  NoticeOutcome,
  NoticeRecord,
  NoticeRun,
  NoticeRunCounts,
  NoticeRunKey,
} from '#domain/notice';
import type { DeliveryReport } from '#domain/notice-delivery';
import type { Open311ApiKey } from '#domain/open311-key';
import type { OtpRecord } from '#domain/otp';
import type { QueuedPurpose } from '#domain/outbound-purpose';
import type { PaymentInput } from '#domain/payment';
import type { Period } from '#domain/period';
import type { Reading } from '#domain/reading';
import type { Subscription } from '#domain/subscription';
import type { BusinessEvent, EventDimensions } from './business-events.ts';

/** A page of a list, newest first unless the list says otherwise; `cursor` (opaque) is absent on the last page. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Where a list starts and how long a page is; `cursor` is one a previous page of the same list returned. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Thrown by a store for a cursor it did not hand out (for this list): a 400 for the client. */
export class InvalidCursorError extends ValidationError {
  constructor() {
    super(
      'The cursor is not one this API returned for this list.',
      [{ field: 'query.cursor', message: 'unknown cursor' }],
      'invalid-cursor',
    );
    this.name = 'InvalidCursorError';
  }
}

export interface Clock {
  now(): Date;
}

export interface AccountStore {
  get(accountNumber: string): Promise<Account | undefined>;
  hasPhone(accountNumber: string, phone: string): Promise<boolean>;
  /** The accounts a phone is registered on. */
  accountsOfPhone(phone: string): Promise<string[]>;
  /** Which of these account numbers exist. */
  existing(accountNumbers: string[]): Promise<Set<string>>;
  /**
   * Creates or replaces accounts with their phone index entries; phones no longer listed are removed, and
   * returned (each with its account) so what the phone had on the account can be ended.
   */
  putMany(accounts: Account[]): Promise<RegisteredPhone[]>;
}

/** A phone as registered on one account. */
export interface RegisteredPhone {
  accountNumber: string;
  phone: string;
}

export interface BillStore {
  /** Newest period first. */
  list(accountNumber: string, page: PageRequest): Promise<Page<Bill>>;
  get(accountNumber: string, period: Period): Promise<Bill | undefined>;
  /** Creates or replaces bills (same account and period -> same bill). */
  putMany(bills: Bill[]): Promise<void>;
  /**
   * Records an auto-pay result on the bill (autoPay, the status, and a withdrawal's payment appended) if the bill
   * still has `expectedPayments` payments and no result with the change's reference. 'duplicate': that reference
   * is recorded; 'changed': the bill's payments changed since it was read (read it again); 'missing': no bill.
   */
  recordAutoPay(
    accountNumber: string,
    period: Period,
    change: AutoPayChange,
    expectedPayments: number,
  ): Promise<'recorded' | 'duplicate' | 'changed' | 'missing'>;
}

export interface SendLog {
  sentAt: number[];
  version: number;
}

/**
 * A named count within one window: `scope` says what is counted (client requests, codes of an account, code SMS
 * of the day...), `id` whose (an address, an account, a phone; the store keeps only a hash of it), `window` which
 * stretch of time (a window number, or a local date).
 */
export interface Counter {
  scope: string;
  id: string;
  window: string;
}

/** Counts that hold across every function instance, each gone by itself after its window. */
export interface CounterStore {
  /** Adds one unless the count has reached `max`: the new count, or undefined when it had. */
  increment(counter: Counter, max: number, retainUntil: number): Promise<number | undefined>;
  /** The count so far (0 when nothing was counted). */
  get(counter: Counter): Promise<number>;
  /**
   * Whether the count is below `max`, found with the same kind of conditional write as `increment` but counting
   * nothing: for a request that must take as long as a counted one (a decoy code request) without being counted.
   */
  check(counter: Counter, max: number, retainUntil: number): Promise<boolean>;
}

export interface OtpStore {
  get(subject: string, phone: string): Promise<OtpRecord | undefined>;
  /** Stores a new code for (subject, phone), replacing any earlier one. */
  put(record: OtpRecord, retainUntil: number): Promise<void>;
  /** Counts one try if fewer than `maxAttempts` were made; returns the new count, or undefined. */
  countAttempt(subject: string, phone: string, maxAttempts: number): Promise<number | undefined>;
  /** Deletes the code if it is still the one given: true for exactly one of concurrent callers. */
  consume(subject: string, phone: string, codeHash: string): Promise<boolean>;
  /** The times codes were sent under a key (a phone; or an account and phone, for decoys). */
  getSendLog(key: string): Promise<SendLog>;
  /** Writes the log if nobody else did since `expectedVersion` was read; false otherwise. */
  putSendLog(key: string, sentAt: number[], expectedVersion: number, retainUntil: number): Promise<boolean>;
}

export interface SmsMessage {
  to: string;
  body: string;
  /** Why it is sent: shown in the local outbox and passed to the provider as context. */
  purpose: 'otp' | 'reply' | 'notice' | 'complaint-update' | 'complaint-sla';
  /**
   * The same for every attempt of one message (a notice's id): a provider that honours idempotency keys sends
   * it once however often it is asked. Absent: each attempt is a new message to the provider.
   */
  idempotencyKey?: string;
  /**
   * Our own opt-out state of `to` (OptOutStore), as the caller read it just before sending (a notice delivery reads
   * its phones' states in its one batch read): a message whose purpose honours opt-outs is then not read again.
   * Absent: read where the SMS leaves. The provider's own list is asked either way.
   */
  optedOut?: boolean;
}

export interface SmsSender {
  /**
   * Sends the SMS; throws SmsRefusedError when the provider refuses it for good, anything else to try again.
   * `suppressed`: not sent, as the number opted out of notices (checked where every SMS leaves).
   */
  send(message: SmsMessage): Promise<{ messageId: string; suppressed?: 'opted-out' }>;
}

/** The provider refused this SMS for good (a blocked destination, an opted-out number): sending again is no use. */
export class SmsRefusedError extends Error {
  constructor(
    /** The provider's reason, e.g. DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION. */
    readonly reason: string,
  ) {
    super(`The SMS provider refused the message: ${reason}`);
    this.name = 'SmsRefusedError';
  }
}

/** An SMS recorded for the outbound queue's sender. A decoy is recorded and queued like any other, never sent. */
export interface QueuedSms extends Omit<SmsMessage, 'purpose' | 'idempotencyKey' | 'optedOut'> {
  channel: 'sms';
  /**
   * Only purposes delivered to a phone that opted out; sent at any hour, so one that waits out the quiet hours is
   * queued only outside them (domain/outbound-purpose.ts).
   */
  purpose: Extract<QueuedPurpose, SmsMessage['purpose']>;
  id: string;
  decoy: boolean;
  queuedAt: string;
  /** Not worth sending after this instant (a code that has expired by then). */
  notAfter?: string;
}

/** An e-mail recorded for the outbound queue's sender (a reading confirmation). */
export interface QueuedEmail extends EmailMessage {
  channel: 'email';
  id: string;
  queuedAt: string;
}

/** What waits in the outbox for the outbound sender: an SMS or an e-mail, told apart by `channel`. */
export type QueuedMessage = QueuedSms | QueuedEmail;

export type OutboxClaim =
  | { state: 'claimed'; message: QueuedMessage }
  /** Sent (or dropped) already; or being sent by another worker; or gone (expired). */
  | { state: 'done' | 'in-progress' | 'missing' };

/** Messages waiting for the outbound sender, by id: the queue carries only the id and the channel. */
export interface OutboxStore {
  /** Stores the message; one whose id is stored already is left as it is (a retried use case queues it once). */
  put(message: QueuedMessage, retainUntil: number): Promise<void>;
  /** Takes the message for sending, once; a claim older than a worker may live is taken again. */
  claim(id: string, now: number): Promise<OutboxClaim>;
  /** Marks it done and forgets its text; `outcome` and the provider's id are kept for the record. */
  complete(
    id: string,
    result: { outcome: 'sent' | 'dropped' | 'refused'; providerMessageId?: string },
    now: number,
  ): Promise<void>;
  /** Gives the claim back after a failed send, so the queue's next delivery tries again. */
  release(id: string): Promise<void>;
}

/** The outbound queue: the request that asks for an SMS or an e-mail returns once it is queued, before any provider is called. */
export interface OutboundQueue {
  enqueue(job: OutboundJob): Promise<void>;
}

export interface EmailMessage {
  to: string;
  subject: string;
  /** Plain text: a confirmation needs no markup, and plain text is read everywhere. */
  text: string;
  /** Why it is sent: shown in the local outbox and tagged on the provider's message. */
  purpose: 'reading-confirmation';
}

export interface EmailSender {
  /** Sends the e-mail; throws EmailRefusedError when the provider refuses it for good, anything else to try again. */
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/** The e-mail provider refused this message for good (SES MessageRejected, a malformed address): no use retrying. */
export class EmailRefusedError extends Error {
  constructor(
    /** The provider's reason, e.g. MessageRejected. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`The e-mail provider refused the message: ${reason}`, options);
    this.name = 'EmailRefusedError';
  }
}

/** Keys derived from the deployment's signing secret, one per use. */
export interface SigningKeys {
  otp: Buffer;
  token: Buffer;
}

export type ActivationResult = 'activated' | 'duplicate' | 'too-many-phones' | 'conflict';

/** Where a subscription is activated from, the account's limit of active phones, and its fan-out shard. */
export interface ActivationOptions {
  from: 'pending' | 'opted-out';
  maxPhones: number;
  shard: number;
}

export interface SubscriptionStore {
  /** Stores a pending subscription; it disappears by itself after `retainUntil` unless verified. */
  createPending(subscription: Subscription, retainUntil: number): Promise<void>;
  get(id: string): Promise<Subscription | undefined>;
  /**
   * Makes `next` (status active, effectiveMonth set) the state of a subscription that is still in
   * `from`, atomically with the rules: one active subscription per (account, phone), at most
   * `maxPhones` active per account.
   */
  activate(next: Subscription, options: ActivationOptions): Promise<ActivationResult>;
  /** Moves a subscription from `from` to `next.status` (ended or opted-out); false if it had moved on. */
  end(next: Subscription, from: Subscription['status']): Promise<boolean>;
  /** The account's subscriptions of any status, newest first. */
  listByAccount(accountNumber: string, page: PageRequest): Promise<Page<Subscription>>;
  listByPhone(phone: string): Promise<Subscription[]>;
  /** Active subscriptions whose effective month is not after `month`, in one fan-out shard. */
  listForNoticeMonth(month: Period, shard: number, page: PageRequest): Promise<Page<Subscription>>;
  /** The active subscriptions of a district, one fan-out shard at a time (the district index, never a scan). */
  listForDistrict(
    district: string,
    shard: number,
    page: PageRequest,
  ): Promise<Page<Pick<Subscription, 'id' | 'accountNumber'>>>;

  // Ops only (data migrations run from the ops CLI): never call these on a request path.
  /**
   * Writes active subscriptions (each with its fan-out shard) for accounts that have none yet, in batches: an
   * operator's first import of a subscriber list the utility kept before, or a benchmark's data. Throws, writing
   * nothing, when one of the accounts has or had an active subscription, or when one account gets more than
   * `maxPhones`.
   */
  importActive(
    subscriptions: ReadonlyArray<{ subscription: Subscription; shard: number }>,
    maxPhones: number,
  ): Promise<void>;
  /** Every subscription of the deployment, a page at a time, in no useful order: a Scan of the whole table. */
  scanAll(page: PageRequest): Promise<Page<Subscription>>;
  /** Whether the subscription is still listed on its account in the form before the list was sorted by creation. */
  hasOldAccountPointer(subscription: Subscription): Promise<boolean>;
  /** Lists the subscription on its account in the current form instead of the old one; false if it had none. */
  upgradeAccountPointer(subscription: Subscription): Promise<boolean>;
  /**
   * Lists an active subscription that has no district under its account's district (the announcements' index);
   * false if it is no longer active or has a district already.
   */
  indexDistrict(subscription: Subscription, district: string, shard: number): Promise<boolean>;
}

export interface OptOutEvent {
  phone: string;
  optedOut: boolean;
  at: string;
  channel: 'sms' | 'web' | 'ops';
  /** The keyword as the resident sent it (STOP, СТОП, 중지, START...). */
  keyword: string;
  messageId: string;
}

export interface OptOutStore {
  /**
   * Records the event and sets the phone's current state, unless a later event (by `at`, when the
   * resident sent it) or another event as old is already recorded: returns false for such a stale event.
   * The same event again (same `messageId`) while it is still the current state is not stale: it
   * returns true and records nothing twice, so a redelivered STOP or START finishes what a failed first
   * processing began.
   */
  record(event: OptOutEvent): Promise<boolean>;
  isOptedOut(phone: string): Promise<boolean>;
}

/** The SMS provider's own opt-out list (End User Messaging keeps one per account and region). */
export interface ProviderOptOutList {
  isOptedOut(phone: string): Promise<boolean>;
}

export type InboundClaim = 'new' | 'done' | 'in-progress';

/** Remembers inbound message ids so a redelivered message changes nothing. */
export interface InboundLog {
  claim(messageId: string, now: number): Promise<InboundClaim>;
  /** Records the message as done unless it was recorded already: false for a redelivery. */
  markDone(messageId: string, now: number): Promise<boolean>;
  complete(messageId: string, now: number): Promise<void>;
  release(messageId: string): Promise<void>;
}

/** What the reading rules need of one account, read together. */
export interface ReadingContext {
  account: Account;
  /** The account's readings, newest first. */
  readings: Reading[];
  /** The account's bills, newest period first. */
  bills: Bill[];
  /**
   * Each meter's window per period, as its guard item records it (absent before the first reading): the reading
   * that counts, and how many readings the window holds (absent on a guard written before they were counted).
   */
  windows: Array<{ meterId: string; period: Period; readingId: string; count?: number }>;
}

export type ReadingWrite = 'added' | 'conflict' | 'duplicate';

/** How a reading is written: what it supersedes, and the window guard's state before and after. */
export interface ReadingWriteOptions {
  supersedes: Reading[];
  /** The reading the guard must still name (null: the window has no guard yet). */
  expectedCounting: string | null;
  /** The count the guard must still hold (undefined: no guard yet, or a guard from before it counted). */
  expectedCount?: number;
  /** The reading the guard names after the write. */
  counting: string;
  /** How many readings the window holds after the write: every write changes the guard, so writes take turns. */
  count: number;
  /** The inbound SMS the reading came in: recorded as done in the same write. */
  inboundMessageId?: string;
  now: number;
  /** What the guard records of the reading that counts after the write, so the billing run reads it by one key. */
  countingReading: Pick<CountingReading, 'values' | 'readAt' | 'source'>;
  /** The account's fan-out shard: the guard is listed under its window period and this shard. */
  shard: number;
}

/** The reading that counts for one meter and window period, as the window's guard records it. */
export interface CountingReading {
  accountNumber: string;
  meterId: string;
  period: Period;
  readingId: string;
  values: Record<string, number>;
  /** The local date (YYYY-MM-DD) the reading was taken. */
  readAt: string;
  source: Reading['source'];
}

export interface ReadingStore {
  /** The account and everything the reading rules need of it; undefined when there is no such account. */
  context(accountNumber: string): Promise<ReadingContext | undefined>;
  /**
   * Stores the reading, marks `supersedes` superseded and records `counting` and `count` in the window's guard,
   * all in one write, and only if the guard still names `expectedCounting` (null: no guard yet) and still holds
   * `expectedCount`. With `inboundMessageId`, the inbound message is recorded as done in the same write.
   * 'conflict': another reading of the window got there first, or a reading to supersede is gone (read again and
   * retry); 'duplicate': the inbound message is already in the ledger (done, or claimed by a STOP/START in
   * progress).
   */
  add(reading: Reading, options: ReadingWriteOptions): Promise<ReadingWrite>;
  /** The account's readings, newest first. */
  list(accountNumber: string, page: PageRequest): Promise<Page<Reading>>;
  /**
   * The counting readings of these meters and window periods, one key each (guards written before guards recorded
   * values are left out); meters without a reading for the period are simply absent.
   */
  countingFor(
    keys: ReadonlyArray<{ accountNumber: string; meterId: string; period: Period }>,
  ): Promise<CountingReading[]>;
  /** The counting readings of a window period in one fan-out shard, by account and meter (an index, never a scan). */
  listCountingForPeriod(period: Period, shard: number, page: PageRequest): Promise<Page<CountingReading>>;
}

/** The shared secrets of the domestic SMS gateways, by gateway id (Secrets Manager in AWS). */
export interface GatewaySecrets {
  secretOf(gatewayId: string): Promise<string | undefined>;
}

/** One inbound SMS, however it arrived (End User Messaging two-way SMS or a domestic gateway's webhook). */
export interface InboundSms {
  /** The provider's id of the inbound message: the idempotency key. */
  messageId: string;
  from: string;
  to: string;
  body: string;
  /** When the resident sent it (ISO): orders STOP and START that arrive out of order. */
  sentAt: string;
}

/** The inbound SMS queue: the same queue and consumer as two-way SMS from End User Messaging. */
export interface InboundQueue {
  enqueue(sms: InboundSms): Promise<void>;
}

// ---- Notices: runs, their planning, and each notice's once-only claim ----

/** A notice claimed for sending: the claim's time identifies it when its outcome is recorded. */
export type NoticeClaim =
  | { state: 'claimed'; claimedAt: number }
  | { state: 'done' }
  | { state: 'in-progress' };

export interface NoticeStore {
  /**
   * Creates the run if it does not exist. With `restart`, an existing run is started again: its start count goes
   * up and its shards are to be planned anew. Answers the run as stored and whether this call started it.
   */
  startRun(
    run: Pick<NoticeRun, 'kind' | 'ref' | 'createdAt' | 'scheduledAt' | 'shards'>,
    restart: boolean,
  ): Promise<{ run: NoticeRun; started: boolean }>;
  getRun(key: NoticeRunKey): Promise<NoticeRun | undefined>;
  /** Marks the run waiting until `resumeAt` (the quiet hours' end) and lists it among the held runs; idempotent. */
  holdRun(key: NoticeRunKey, resumeAt: string): Promise<void>;
  /** The runs waiting for the quiet hours to end. */
  heldRuns(): Promise<NoticeRunKey[]>;
  /** Takes the run off the list of held runs (once it is planned again). */
  unholdRun(key: NoticeRunKey): Promise<void>;
  /**
   * Counts a planned page's notices once (a page read again, by a redelivery or a later start, adds nothing), and
   * with `last` marks its shard planned in that start (the run is `planned` once every shard is). False when the
   * page was counted before.
   */
  recordPlannedPage(
    key: NoticeRunKey,
    page: { start: number; shard: number; pageKey: string; notices: number; last: boolean },
  ): Promise<boolean>;
  /**
   * Claims the notice for one sender: absent, or claimed longer ago than a sender can run (its sender died), it is
   * claimed now; recorded, it is done; claimed by a live sender, in progress.
   */
  claim(key: NoticeKey & { id: string; subscriptionId: string }, now: number): Promise<NoticeClaim>;
  /**
   * Claims a delivery's notices as `claim` does, each answered in the order given: in one write when none of them
   * is claimed or recorded yet, otherwise each on its own.
   */
  claimMany(
    notices: ReadonlyArray<NoticeKey & { id: string; subscriptionId: string }>,
    now: number,
  ): Promise<NoticeClaim[]>;
  /**
   * Records the outcome and adds it to the run's counts in one write, if the claim is still the one taken at
   * `claimedAt`; false when another sender took it over meanwhile (that one records it).
   */
  complete(
    id: string,
    claimedAt: number,
    run: NoticeRunKey,
    outcome: NoticeOutcome,
    now: number,
  ): Promise<boolean>;
  /**
   * Records several outcomes and their counts in one write, if every claim still stands; false (nothing written)
   * when one was taken over meanwhile.
   */
  completeMany(
    notices: ReadonlyArray<{ id: string; claimedAt: number; run: NoticeRunKey; outcome: NoticeOutcome }>,
    now: number,
  ): Promise<boolean>;
  /** Gives the claim back after a failed send, so the queue's next delivery can claim it at once. */
  release(id: string, claimedAt: number): Promise<void>;
  /**
   * A per-account run (leak-check, auto-pay-result): counts the notices queued for one account into the run's
   * planned notices once (queued again, it adds nothing), lists the account among the run's, and marks the run's
   * one shard planned in `start`. False when the account was counted before.
   */
  recordAccountPlanned(
    key: NoticeRunKey,
    page: { start: number; accountNumber: string; notices: number },
  ): Promise<boolean>;
  /** The accounts a per-account run queued notices for, a page at a time (to plan it again after quiet hours). */
  runAccounts(key: NoticeRunKey, page: PageRequest): Promise<Page<string>>;
  get(id: string): Promise<NoticeRecord | undefined>;
  counts(key: NoticeRunKey): Promise<NoticeRunCounts>;
  /**
   * Applies a carrier's report to a sent notice and moves its run's delivery counts in the same write, as
   * nextDelivery (domain/notice-delivery.ts) decides: 'recorded' when it changed the notice, 'unchanged' when
   * it did not (a repeated or overtaken report), 'sending' when the notice's outcome is not recorded yet,
   * 'unknown' when no notice sent by `channel` has that id.
   */
  recordDelivery(
    id: string,
    channel: NoticeChannel,
    report: DeliveryReport,
    reportedAt: number,
  ): Promise<'recorded' | 'unchanged' | 'sending' | 'unknown'>;
  /**
   * The notice whose SMS the provider knows by this message id, where the store keeps that pointer (written with
   * the notice's outcome, only for a gateway whose delivery reports name no idempotency key).
   */
  noticeOfMessage(providerMessageId: string): Promise<string | undefined>;
}

/** What the notices of one delivery need, read together: each by its key; a missing one is absent. */
export interface NoticeSources {
  subscriptions: Map<string, Subscription>;
  accounts: Map<string, Account>;
  /** By `${accountNumber}#${period}`. */
  bills: Map<string, Bill>;
  /** By id, for announcement jobs. */
  announcements: Map<string, Announcement>;
  /**
   * By phone, every read subscription's: whether it opted out (OptOutStore's state), read in the same delivery right
   * before its notices are claimed and sent.
   */
  optedOut: Map<string, boolean>;
  /**
   * For leak-check jobs, by `${accountNumber}#${period}`: the account's bills before that period (newest first, at
   * most LEAK_HISTORY_BILLS), whose usage the notice compares the bill's with.
   */
  earlierBills?: Map<string, Bill[]>;
}

/** How many earlier bills a leak-check notice averages the usage of. */
export const LEAK_HISTORY_BILLS = 6;

export interface AnnouncementStore {
  /** Stores it unless one with its id exists; answers the one stored and whether this call stored it. */
  create(announcement: Announcement): Promise<{ announcement: Announcement; created: boolean }>;
  get(id: string): Promise<Announcement | undefined>;
  /**
   * Announcements whose send time is within [from, to] (ISO instants), latest first, at most `limit`: those naming
   * `district`, or every one without it.
   */
  sentBetween(query: { district?: string; from: string; to: string; limit: number }): Promise<Announcement[]>;
  /** Every announcement, latest send time first (those still scheduled lead), a page at a time. */
  list(page: PageRequest): Promise<Page<Announcement>>;
}

/**
 * Starts an announcement's run at its send time: an EventBridge Scheduler one-time schedule (in AWS) or the local
 * runtime's schedule table, each putting an announcement-due message on the planner queue. Setting the same one
 * twice is one timer.
 */
export interface AnnouncementTimer {
  at(announcementId: string, sendAt: Date): Promise<void>;
}

export interface NoticeSourceReader {
  /**
   * One batch read (DynamoDB BatchGetItem) for up to 10 notices: their subscriptions, accounts and bills; then one
   * more for the opt-out states of the subscriptions' phones (a job names no phone: it is the subscription's).
   */
  read(jobs: readonly NoticeJob[]): Promise<NoticeSources>;
}

export interface NoticeQueues {
  /** Queues one page of a shard to plan (the planner's continuation). */
  plan(page: NoticePlanPage): Promise<void>;
  /** Queues notices to send, ten to a SendMessageBatch call. */
  send(jobs: readonly NoticeJob[]): Promise<void>;
}

/** Counts business events (CloudWatch embedded metric format in AWS, a counter table locally). */
export interface Metrics {
  count<E extends BusinessEvent>(event: E, dimensions: EventDimensions<E>): void;
}

// --- Messenger (KakaoTalk AlimTalk): template messages, with SMS as the fallback ---

export interface MessengerMessage {
  /** E.164. */
  to: string;
  /** Ours, e.g. 'bill-giro', 'bill-auto-pay', 'announcement': the profile maps it to the provider's template code. */
  templateKey: string;
  /** The template's #{key} values. */
  parameters: Record<string, string>;
  /** The filled-in template text (some providers want it too; the local outbox shows it). */
  text: string;
  /** The notice id: the same key for every attempt of one notice. */
  idempotencyKey: string;
}

export interface MessengerSender {
  /**
   * Resolves with the provider's message id (`providerFallback`: the provider could not deliver it by messenger
   * and sends an SMS itself). Throws MessengerUnreachableError when the recipient cannot get it by messenger (not
   * a user, blocked, cannot receive): the caller then falls back to SMS once. Any other error is transient
   * (throttled, 5xx, timeout) and the caller retries later.
   */
  send(message: MessengerMessage): Promise<{ messageId: string; providerFallback?: boolean }>;
}

/** This recipient cannot get messages by messenger (Kakao 3018, 3019, 3020; or no messenger at all): send SMS. */
export class MessengerUnreachableError extends Error {
  constructor(
    /** The provider's result code, or 'no-messenger' where the utility has none. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MessengerUnreachableError';
  }
}

/** The provider asks us to slow down (HTTP 429 or a throttling code): transient, try again later. */
export class MessengerThrottledError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Seconds the provider asked us to wait (its Retry-After), if it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'MessengerThrottledError';
  }
}

/**
 * The provider did not take the message: a 5xx, no answer in time, an answer we cannot read, or a refusal.
 * Transient for the caller like any error but MessengerUnreachableError; `retryable` false marks an answer that
 * will not change by itself (a refused template, a wrong key), which the sender may record as failed instead.
 */
export class MessengerProviderError extends Error {
  constructor(
    /** The provider's result code, the HTTP status ('http-500'), or 'timeout', 'unreachable-host', 'bad-answer'. */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MessengerProviderError';
  }
}

/** Everything a use case may need; each use case takes only the part it uses. */
export interface Deps {
  config: UtilityConfig;
  clock: Clock;
  accounts: AccountStore;
  bills: BillStore;
  otps: OtpStore;
  sms: SmsSender;
  email: EmailSender;
  keys: SigningKeys;
  subscriptions: SubscriptionStore;
  optOuts: OptOutStore;
  providerOptOuts: ProviderOptOutList;
  inbound: InboundLog;
  readings: ReadingStore;
  gatewaySecrets: GatewaySecrets;
  inboundQueue: InboundQueue;
  counters: CounterStore;
  outbox: OutboxStore;
  outboundQueue: OutboundQueue;
  metrics: Metrics;
  notices: NoticeStore;
  noticeSources: NoticeSourceReader;
  noticeQueues: NoticeQueues;
  announcements: AnnouncementStore;
  announcementTimer: AnnouncementTimer;
  /** Template messages by messenger; a utility without one has a sender that answers MessengerUnreachableError. */
  messenger: MessengerSender;
  /** The SMS delivery events queue: a gateway's delivery reports go there, beside End User Messaging's events. */
  deliveryEvents: DeliveryEventQueue;
  billing: BillingStore;
  /** The billing queue; only the functions that start or read billing runs may write to it. */
  billingQueue: BillingQueue;
  /** Payments recorded once per reference, and the unpaid-bills index the overdue sweep reads. */
  payments: PaymentStore;
  /** The bill sweep queue (overdue marking, a page of a shard at a time). */
  billSweepQueue: BillSweepQueue;
  /** Where window close exports the accepted readings for the utility's own billing system. */
  readingExports: ReadingExports;
  /** The done markers of the bill files the utility's billing system drops. */
  billDrops: BillDropLog;
  /** Where those bill files are dropped, and where their rejects and processed copies go. */
  billDropFiles: BillDropFiles;
  /** Complaints, their district queues, the SLA watch and the account index. */
  complaints: ComplaintStore;
  /** Queued SMS held back by the quiet hours (complaint updates): the quiet-hours-end schedule queues them. */
  heldMessages: HeldMessageStore;
  /** Complaint photos: uploads waiting for their check under uploads/, checked copies under photos/. */
  photoBucket: PhotoBucket;
  /** Open311 partners' api_keys, kept by hash. */
  open311Keys: Open311KeyStore;
}

// ---- Complaints ----

/** A complaint written together with the version it was read at (optimistic locking). */
export interface ComplaintWrite {
  complaint: Complaint;
  /** The version read; the write lands only if the stored one is still this. The written one is this + 1. */
  expectedVersion: number;
}

export interface ComplaintStore {
  /** Writes a new complaint (version 1) and claims its tracking code; 'code-taken' when the code is in use. */
  create(complaint: Complaint): Promise<'created' | 'code-taken'>;
  get(id: string): Promise<Complaint | undefined>;
  getByTrackingCode(trackingCode: string): Promise<Complaint | undefined>;
  /**
   * Writes one or more complaints at once (a merge writes two), each only if its stored version is still the one
   * read: false when any was changed in between (nothing is written then). Keeps the indexes in step with the
   * status, the SLA flag and the account.
   */
  update(writes: ComplaintWrite[]): Promise<boolean>;
  /** A district's complaints in one status, oldest first, optionally filed within [from, to) (ISO instants). */
  listQueue(
    district: string,
    status: ComplaintStatus,
    page: PageRequest & { from?: string; to?: string },
  ): Promise<Page<Complaint>>;
  /** A district's open complaints past `dueBefore` that are not flagged yet, earliest deadline first. */
  listPastDue(district: string, dueBefore: string, page: PageRequest): Promise<Page<Complaint>>;
  /** Complaints filed for one account since `since` (ISO), newest first, at most `limit`. */
  listByAccount(accountNumber: string, since: string, limit: number): Promise<Complaint[]>;
}

// ---- SMS delivery reports: what the carrier said happened to a message ----

/** One delivery report, from End User Messaging's event destination or a gateway's delivery-report webhook. */
export interface SmsDeliveryEvent {
  source: 'end-user-messaging' | 'gateway';
  /** The idempotency key the message was sent with (a notice's id, or `<id>-sms`), when the report carries it. */
  key?: string;
  /** The provider's message id. */
  messageId?: string;
  /** Delivered or failed for good; undefined for a report that says neither (queued, pending, not final). */
  report?: DeliveryReport;
  /** When the provider reported it (ISO). */
  reportedAt: string;
}

/** The SMS delivery events queue, as the gateway's delivery-report webhook writes to it. */
export interface DeliveryEventQueue {
  enqueue(event: SmsDeliveryEvent): Promise<void>;
}

// ---- The billing cycle with the utility's own billing system ----

/**
 * Where the accepted readings of a window are put for the utility's own billing system (billing.engine
 * "external"): an S3 object in AWS (readings/<period>.csv in the billing exchange bucket), a file locally.
 */
export interface ReadingExports {
  /** Writes the CSV of the window `period` (replacing an earlier export of it); answers where it is. */
  put(period: Period, csv: string): Promise<{ location: string }>;
}

// ---- The billing run ----

/** What the billing run reads and writes in the table. */
export interface BillingStore {
  /** Creates the run (or, asked to, starts it again: starts + 1, no part done); an existing run is left alone. */
  startRun(
    run: Pick<BillingRun, 'period' | 'parts' | 'shards' | 'createdAt' | 'scheduledAt'>,
    restart: boolean,
  ): Promise<{ run: BillingRun; started: boolean }>;
  getRun(period: Period): Promise<BillingRun | undefined>;
  /** A page of the account index part (billing cycle, shard), in account number order. */
  accountsPage(cycle: number, shard: number, page: PageRequest): Promise<Page<Account>>;
  /** The accounts' bills of these periods (those that exist), per account, newest first. */
  billsOf(accountNumbers: string[], periods: Period[]): Promise<Map<string, Bill[]>>;
  /**
   * Writes each bill if its account has none for its period; answers, bill by bill, whether it was written or
   * the bill the account has.
   */
  createBills(bills: Bill[]): Promise<Array<{ created: true } | { created: false; existing: Bill }>>;
  /** Keeps why an account got no bill (the same account again replaces its entry). */
  recordFailures(period: Period, failures: BillingFailure[]): Promise<void>;
  /**
   * Counts a page into the run once however often it is read (false: counted before); the last page of a part
   * marks the part done for that start, and answers whether that finished the run.
   */
  recordPage(
    period: Period,
    page: { start: number; part: number; pageKey: string; counts: BillingCounts; last: boolean; now: string },
  ): Promise<{ counted: boolean; finished: boolean }>;
  counts(period: Period): Promise<BillingCounts>;
  failures(period: Period, page: PageRequest): Promise<Page<BillingFailure>>;
}

/** The billing queue: a page of the account index per message. */
export interface BillingQueue {
  enqueue(page: BillingPage): Promise<void>;
}

// ---- Payments and overdue marking ----

/** A payment as recorded under its reference: what it was for, and when it was recorded. */
export interface RecordedPayment extends PaymentInput {
  recordedAt: string;
}

/** A bill as read for an update, with the version the update is conditional on. */
export interface VersionedBill {
  bill: Bill;
  version: number;
}

/**
 * 'recorded': the payment and the bill's new state are written; 'reference-taken': a payment with this reference
 * exists (nothing written); 'bill-changed': the bill is no longer the version read (nothing written: read again).
 */
export type PaymentWrite = 'recorded' | 'reference-taken' | 'bill-changed';

export interface PaymentStore {
  /** The bill a payment is for, read strongly consistent, with its version. */
  billForPayment(accountNumber: string, period: Period): Promise<VersionedBill | undefined>;
  /** The payment recorded under a reference. */
  get(reference: string): Promise<RecordedPayment | undefined>;
  /**
   * In one transaction: the payment under its reference if no payment has it, and the bill as `next` if it is still
   * at `expectedVersion` (a bill that is no longer unpaid leaves the unpaid-bills index).
   */
  record(payment: RecordedPayment, next: Bill, expectedVersion: number): Promise<PaymentWrite>;
  /** One page of the not-yet-paid bills due on a local date, in one fan-out shard (the unpaid-bills index). */
  unpaidDue(dueDate: string, shard: number, page: PageRequest): Promise<Page<Bill>>;
  /** Marks the bill overdue if it is still unpaid; false otherwise (paid meanwhile, or overdue already). */
  markOverdue(accountNumber: string, period: Period): Promise<boolean>;
}

/** The bill sweep queue: one page of one shard of a sweep per message (functions/contracts/bill-sweep.ts). */
export interface BillSweepQueue {
  enqueue(page: BillSweepPage): Promise<void>;
}

/** A bill file the utility's billing system dropped: its object key under bills/incoming/ and its version. */
export interface BillDrop {
  /** The object key, e.g. "bills/incoming/2026-03.csv". */
  key: string;
  /** The S3 version id (the bucket is versioned), or the ETag where none is given; locally a content hash. */
  version: string;
}

/** What importing one drop did, as the done marker keeps it and the local drop route answers it. */
export interface BillDropSummary {
  read: number;
  imported: number;
  rejected: number;
  /** Where the rejected rows were written (bills/rejects/<name>); absent when every row was imported. */
  rejects?: string;
  /** Why no row was read at all (a bad header, not UTF-8, not CSV); the rejects file says it too. */
  refused?: string;
  /** When it was imported (ISO). */
  importedAt: string;
}

export type BillDropClaim =
  | { state: 'claimed'; claimedAt: number }
  | { state: 'done'; summary: BillDropSummary }
  | { state: 'in-progress' };

/** The done markers of bill drops: each object version is imported once, however often its event arrives. */
export interface BillDropLog {
  /**
   * Claims the drop for this import: absent, or claimed longer ago than an import can run (its worker died), it is
   * claimed now; done, its summary is answered; claimed by a live import, in progress.
   */
  claim(drop: BillDrop, now: number): Promise<BillDropClaim>;
  /** Records the drop done with its summary, if the claim taken at `claimedAt` still stands; false otherwise. */
  complete(drop: BillDrop, claimedAt: number, summary: BillDropSummary): Promise<boolean>;
  /** Gives the claim back after a failed import, so the next delivery of the event can claim it at once. */
  release(drop: BillDrop, claimedAt: number): Promise<void>;
}

/** The bills/ side of the billing exchange: the S3 bucket in AWS, a folder locally. */
export interface BillDropFiles {
  /** The drop's bytes, or undefined when that version is no longer there (already moved to bills/processed/). */
  read(drop: BillDrop): Promise<Buffer | undefined>;
  /** Writes the rejected rows of a drop as bills/rejects/<name>; answers where. */
  putRejects(drop: BillDrop, csv: string): Promise<string>;
  /** Moves the drop to bills/processed/<name>; a drop already moved is left as it is. */
  archive(drop: BillDrop): Promise<void>;
}

// ---- SMS held back by the quiet hours ----

/**
 * The outbox messages that wait for the end of the quiet hours (their texts wait in the outbox): the list the
 * quiet-hours-end schedule works through.
 */
export interface HeldMessageStore {
  /** Lists the message as held until `until` (ISO); listing it again changes nothing. */
  hold(id: string, until: string): Promise<void>;
  /** Held messages whose time has come (`until` at or before `now`), earliest first, at most `limit`. */
  due(now: string, limit: number): Promise<Array<{ id: string; until: string }>>;
  /** Takes one off the list (once it is queued). */
  release(held: { id: string; until: string }): Promise<void>;
}

// ---- Complaint photos ----

/**
 * A condition of an S3 POST policy, in S3's own shapes: a field's exact value ({ key: "..." }), ["eq" or
 * "starts-with", "$field", value], or ["content-length-range", min, max]. The local store enforces the same list.
 */
export type UploadCondition =
  | Record<string, string>
  | ['eq' | 'starts-with', `$${string}`, string]
  | ['content-length-range', number, number];

/** A browser form upload: POST the fields, then the file (as the last part), to the URL. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

/** Where complaint photos are kept: the private photo bucket in AWS, a folder locally. */
export interface PhotoBucket {
  /** A form that lets its holder upload one object at `key`, within the conditions, for `expiresSeconds`. */
  presign(key: string, conditions: UploadCondition[], expiresSeconds: number): Promise<PresignedUpload>;
  /** The object's bytes, or undefined when there is none (deleted already). */
  read(key: string): Promise<Buffer | undefined>;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Removes the object; nothing there is not an error. */
  delete(key: string): Promise<void>;
  /** A URL that shows the object to whoever holds it, for `expiresSeconds`. */
  signedGetUrl(key: string, expiresSeconds: number): Promise<string>;
}

// ---- Open311 api_keys ----

export interface Open311KeyStore {
  /** Stores a new key; 'exists' when a key with this hash is stored already (nothing is changed then). */
  issue(key: Open311ApiKey): Promise<'issued' | 'exists'>;
  /** The key with this hash, revoked or not. */
  findByHash(hash: string): Promise<Open311ApiKey | undefined>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<Open311ApiKey[]>;
  /** Marks the key revoked (the first revocation's time stays); undefined when no key has this id. */
  revoke(id: string, at: string): Promise<Open311ApiKey | undefined>;
}
