// The one place that builds table keys. Nothing outside the dynamo adapter knows pk/sk.
import { createHash } from 'node:crypto';

export const keys = {
  /** An account's profile. Its phones and bills share the partition (one Query per account). */
  account: (accountNumber: string) => ({ pk: `ACCT#${accountNumber}`, sk: 'A#PROFILE' }),
  /** A registered phone; gsi1 finds the accounts a phone is registered on (SMS intake). */
  accountPhone: (accountNumber: string, phone: string) => ({
    pk: `ACCT#${accountNumber}`,
    sk: `A#PHONE#${phone}`,
    gsi1pk: `PHONE#${phone}`,
    gsi1sk: `ACCT#${accountNumber}`,
  }),
  accountPhonePrefix: 'A#PHONE#',
  bill: (accountNumber: string, period: string) => ({ pk: `ACCT#${accountNumber}`, sk: `BILL#${period}` }),
  billPrefix: 'BILL#',
  otp: (subject: string, phone: string) => ({ pk: `OTP#${subject}#${phone}`, sk: 'OTP' }),
  /** The times codes went to a phone (or, for decoys, were asked for an account and phone). */
  otpSendLog: (key: string) => ({ pk: `OTPLOG#${key}`, sk: 'OTPLOG' }),
  accountPartition: (accountNumber: string) => `ACCT#${accountNumber}`,
  /**
   * A subscription. gsi1 finds a phone's subscriptions (STOP/START); gsi2, set only while active,
   * spreads them over fan-out shards sorted by effective month, so a notice run reads
   * `gsi2sk < next month` in every shard in parallel.
   */
  subscription: (id: string) => ({ pk: `SUB#${id}`, sk: 'SUB' }),
  subscriptionByPhone: (phone: string, id: string) => ({ gsi1pk: `PHONE#${phone}`, gsi1sk: `SUB#${id}` }),
  subscriptionPhonePrefix: 'SUB#',
  phonePartition: (phone: string) => `PHONE#${phone}`,
  noticeFanOut: (shard: number, effectiveMonth: string, id: string) => ({
    gsi2pk: noticeShard(shard),
    gsi2sk: `${effectiveMonth}#${id}`,
  }),
  noticeShard: (shard: number) => noticeShard(shard),
  /**
   * gsi3, set only while a subscription is active: its account's district, spread over the same fan-out shards,
   * so an announcement reads the subscribers of its districts and no one else's.
   */
  districtFanOut: (district: string, shard: number, id: string) => ({
    gsi3pk: districtShard(district, shard),
    gsi3sk: `SUB#${id}`,
  }),
  districtShard: (district: string, shard: number) => districtShard(district, shard),
  /** Lists an account's subscriptions (any status), oldest to newest by creation. */
  accountSubscription: (accountNumber: string, createdAt: string, id: string) => ({
    pk: `ACCT#${accountNumber}`,
    sk: `A#SUB#${createdAt}#${id}`,
  }),
  accountSubscriptionPrefix: 'A#SUB#',
  /**
   * The same pointer as deployments before the list was sorted by creation wrote it: only the subscriptions
   * migration (ops) reads it, to replace it with the current form.
   */
  oldAccountSubscription: (accountNumber: string, id: string) => ({
    pk: `ACCT#${accountNumber}`,
    sk: `A#SUB#${id}`,
  }),
  /**
   * A decoy sign-up's second item, where a real one writes its account pointer: listed nowhere, so the write costs
   * and takes the same and nothing of it shows on the account.
   */
  decoySubscription: (id: string) => ({ pk: `DECOY#${id}`, sk: 'DECOY' }),
  /** Exists while a subscription for (account, phone) is active: the uniqueness guard. */
  accountSubscribedPhone: (accountNumber: string, phone: string) => ({
    pk: `ACCT#${accountNumber}`,
    sk: `A#SUBPHONE#${phone}`,
  }),
  /** How many subscriptions of the account are active: the guard for the phones-per-account limit. */
  accountSubscriptionCount: (accountNumber: string) => ({ pk: `ACCT#${accountNumber}`, sk: 'A#SUBCOUNT' }),
  optOutState: (phone: string) => ({ pk: `OPTOUT#${phone}`, sk: 'STATE' }),
  optOutEvent: (phone: string, at: string, messageId: string) => ({
    pk: `OPTOUT#${phone}`,
    sk: `EVENT#${at}#${messageId}`,
  }),
  inboundMessage: (messageId: string) => ({ pk: `INBOUND#${messageId}`, sk: 'INBOUND' }),
  /** A meter reading, in its account's partition, sorted by period then time: newest first on a reverse query. */
  reading: (accountNumber: string, period: string, submittedAt: string, id: string) => ({
    pk: `ACCT#${accountNumber}`,
    sk: `READING#${period}#${submittedAt}#${id}`,
  }),
  readingPrefix: 'READING#',
  /**
   * The guard of one meter's readings of one period: names the reading that counts, so concurrent readings of a
   * window take turns (a conditional write on it) and exactly one of them counts.
   */
  readingWindow: (accountNumber: string, meterId: string, period: string) => ({
    pk: `ACCT#${accountNumber}`,
    sk: `RWIN#${period}#${meterId}`,
  }),
  /**
   * gsi3 of a window guard: the guards of one window period spread over the fan-out shards (by account), so the
   * billing run and the readings export list a whole window, shard by shard, without a scan.
   */
  readingWindowByPeriod: (period: string, shard: number, accountNumber: string, meterId: string) => ({
    gsi3pk: readingPeriodShard(period, shard),
    gsi3sk: `${accountNumber}#${meterId}`,
  }),
  readingPeriodShard: (period: string, shard: number) => readingPeriodShard(period, shard),
  /**
   * A limit's count. The id (a client address, a phone, an e-mail address) is kept only as a hash: the table
   * need not hold who asked, only how often.
   */
  counter: (scope: string, id: string, window: string) => ({
    pk: `COUNT#${scope}#${createHash('sha256').update(id).digest('base64url').slice(0, 32)}#${window}`,
    sk: 'COUNT',
  }),
  /** An SMS or e-mail waiting for (or sent by) the outbound sender. */
  outbox: (id: string) => ({ pk: `OUTBOX#${id}`, sk: 'OUTBOX' }),
  /** A notice run: every notice of one kind for one period. Its planned pages share the partition. */
  noticeRun: (kind: string, ref: string) => ({ pk: `RUN#${kind}#${ref}`, sk: 'RUN' }),
  /** A page of a shard counted into a run's planned notices (the page's first cursor, hashed). */
  noticeRunPage: (kind: string, ref: string, shard: number, pageKey: string) => ({
    pk: `RUN#${kind}#${ref}`,
    sk: `PAGE#${String(shard).padStart(2, '0')}#${pageKey}`,
  }),
  /**
   * One of a run's counter items: senders add each outcome to one of them, picked by the notice id, so no single
   * item takes every write of a run of a million notices.
   */
  noticeRunCounter: (kind: string, ref: string, shard: number) => ({
    pk: `RUNCOUNT#${kind}#${ref}#${String(shard).padStart(2, '0')}`,
    sk: 'COUNT',
  }),
  /** A run held by the quiet hours: all of them in one small partition, read when the quiet hours end. */
  noticeRunWaiting: (kind: string, ref: string) => ({ pk: 'RUNWAIT', sk: `${kind}#${ref}` }),
  noticeRunWaitingPartition: 'RUNWAIT',
  /** One notice to one phone: the once-only claim and, after the send, its outcome. */
  notice: (id: string) => ({ pk: `NOTICE#${id}`, sk: 'NOTICE' }),
  announcement: (id: string) => ({ pk: `ANN#${id}`, sk: 'ANN' }),
  /** gsi1 of an announcement: every announcement by send time, in one small partition (a few a day at most). */
  announcementBySendAt: (sendAt: string, id: string) => ({
    gsi1pk: ANNOUNCEMENTS,
    gsi1sk: `${sendAt}#${id}`,
  }),
  announcementsPartition: () => ANNOUNCEMENTS,
  /**
   * A copy of an announcement in the partition of each district it names, by send time: a district's public list
   * is one Query. Written with the announcement; expires (TTL) once the public list no longer shows it.
   */
  districtAnnouncement: (district: string, sendAt: string, id: string) => ({
    pk: `ANNDIST#${district}`,
    sk: `${sendAt}#${id}`,
  }),
  districtAnnouncementPartition: (district: string) => `ANNDIST#${district}`,
  /** Points a provider's message id to the notice it sent, for delivery reports that carry nothing else. */
  noticeMessage: (providerMessageId: string) => ({ pk: `NOTICEMSG#${providerMessageId}`, sk: 'NOTICEMSG' }),
  /**
   * gsi2 of an account's profile: the account index the billing run reads, by billing cycle (which months an
   * account billed every two months is billed in) and shard, sorted by account number.
   */
  accountBilling: (cycle: number, shard: number, accountNumber: string) => ({
    gsi2pk: accountBillingPart(cycle, shard),
    gsi2sk: accountNumber,
  }),
  accountBillingPart: (cycle: number, shard: number) => accountBillingPart(cycle, shard),
  /** A billing run of one period; its counted pages and failed accounts share the partition. */
  billingRun: (period: string) => ({ pk: `BILLRUN#${period}`, sk: 'RUN' }),
  billingRunPage: (period: string, part: number, pageKey: string) => ({
    pk: `BILLRUN#${period}`,
    sk: `PAGE#${String(part).padStart(3, '0')}#${pageKey}`,
  }),
  billingRunFailure: (period: string, accountNumber: string) => ({
    pk: `BILLRUN#${period}`,
    sk: `FAIL#${accountNumber}`,
  }),
  billingRunPartition: (period: string) => `BILLRUN#${period}`,
  billingRunFailurePrefix: 'FAIL#',
  /** One of a billing run's counter items, picked by the page's part, so no item takes every page's write. */
  billingRunCounter: (period: string, n: number) => ({
    pk: `BILLRUNCOUNT#${period}#${String(n).padStart(2, '0')}`,
    sk: 'COUNT',
  }),
  /** A recorded payment, by its bank's reference: written with its bill's update, so a reference counts once. */
  payment: (reference: string) => ({ pk: `PAY#${reference}`, sk: 'PAY' }),
  /**
   * gsi1 of a bill while it is not paid: its due date and fan-out shard, so the overdue sweep reads one shard of one
   * due date (a Query) instead of scanning bills. Removed when the bill is paid (sparse).
   */
  unpaidBill: (dueDate: string, shard: number, accountNumber: string) => ({
    gsi1pk: unpaidShard(dueDate, shard),
    gsi1sk: accountNumber,
  }),
  unpaidShard: (dueDate: string, shard: number) => unpaidShard(dueDate, shard),
  /**
   * An account whose notices a per-account run (leak-check, auto-pay-result) queued: counted once, and read back
   * when the run is planned again after the quiet hours. In the run's partition, beside its pages.
   */
  noticeRunAccount: (kind: string, ref: string, accountNumber: string) => ({
    pk: `RUN#${kind}#${ref}`,
    sk: `ACCT#${accountNumber}`,
  }),
  noticeRunAccountPrefix: 'ACCT#',
  /** A bill file dropped by the utility's billing system: its claim, then its done marker, per object version. */
  billDrop: (objectKey: string, version: string) => ({ pk: `DROP#${objectKey}`, sk: `V#${version}` }),
  /** A complaint, under its random id (the reporter's handle). */
  complaint: (id: string) => ({ pk: `COMPLAINT#${id}`, sk: 'COMPLAINT' }),
  /** Claims a tracking code and points it to its complaint: written with the complaint, so codes are unique. */
  complaintTracking: (trackingCode: string) => ({ pk: `CTRACK#${trackingCode}`, sk: 'CTRACK' }),
  /** gsi1 of a complaint: its district's queue for its status, oldest first (staff lists, stats, Open311 lists). */
  complaintQueue: (district: string, status: string, createdAt: string, id: string) => ({
    gsi1pk: complaintQueue(district, status),
    gsi1sk: `${createdAt}#${id}`,
  }),
  complaintQueuePartition: (district: string, status: string) => complaintQueue(district, status),
  /** gsi2 of a complaint while it is open and not yet past its deadline: the hourly SLA check reads it by deadline. */
  complaintSlaWatch: (district: string, dueAt: string, id: string) => ({
    gsi2pk: `CSLA#${district}`,
    gsi2sk: `${dueAt}#${id}`,
  }),
  complaintSlaPartition: (district: string) => `CSLA#${district}`,
  /** gsi3 of a complaint filed with an account number: that account's complaints by filing time. */
  complaintByAccount: (accountNumber: string, createdAt: string, id: string) => ({
    gsi3pk: `CACCT#${accountNumber}`,
    gsi3sk: `${createdAt}#${id}`,
  }),
  complaintAccountPartition: (accountNumber: string) => `CACCT#${accountNumber}`,
  /** An outbox message held by the quiet hours, in one small partition ordered by when it may go. */
  heldMessage: (until: string, id: string) => ({ pk: 'HELDMSG', sk: `${until}#${id}` }),
  heldMessagePartition: 'HELDMSG',
  /** An Open311 api_key, under the SHA-256 of the key (what a request is checked by); gsi1 lists them by id. */
  open311Key: (hash: string, id: string) => ({
    pk: `O311KEY#${hash}`,
    sk: 'O311KEY',
    gsi1pk: OPEN311_KEYS,
    gsi1sk: id,
  }),
  open311KeyByHash: (hash: string) => ({ pk: `O311KEY#${hash}`, sk: 'O311KEY' }),
  open311KeysPartition: () => OPEN311_KEYS,
} as const;

/** Every announcement in one gsi1 partition: the utility makes at most `limits.announcementsPerDay` a day. */
const ANNOUNCEMENTS = 'ANNS';

/** Every Open311 key in one small gsi1 partition: a utility has a handful of partners, and ops lists them all. */
const OPEN311_KEYS = 'O311KEYS';

function complaintQueue(district: string, status: string): string {
  return `CQUEUE#${district}#${status}`;
}

function accountBillingPart(cycle: number, shard: number): string {
  return `BILLACCT#${cycle}#${String(shard).padStart(3, '0')}`;
}

function unpaidShard(dueDate: string, shard: number): string {
  return `UNPAID#${dueDate}#${String(shard).padStart(2, '0')}`;
}

function noticeShard(shard: number): string {
  return `NOTICE#${String(shard).padStart(2, '0')}`;
}

function readingPeriodShard(period: string, shard: number): string {
  return `RWIN#${period}#${String(shard).padStart(2, '0')}`;
}

function districtShard(district: string, shard: number): string {
  return `DIST#${district}#${String(shard).padStart(2, '0')}`;
}

export const ENTITY = {
  account: 'Account',
  accountPhone: 'AccountPhone',
  bill: 'Bill',
  otp: 'Otp',
  otpSendLog: 'OtpSendLog',
  subscription: 'Subscription',
  accountSubscription: 'AccountSubscription',
  accountSubscribedPhone: 'AccountSubscribedPhone',
  accountSubscriptionCount: 'AccountSubscriptionCount',
  optOutState: 'OptOutState',
  optOutEvent: 'OptOutEvent',
  inboundMessage: 'InboundMessage',
  reading: 'Reading',
  readingWindow: 'ReadingWindow',
  decoySubscription: 'DecoySubscription',
  counter: 'Counter',
  outbox: 'OutboxSms',
  noticeRun: 'NoticeRun',
  noticeRunPage: 'NoticeRunPage',
  noticeRunCounter: 'NoticeRunCounter',
  noticeRunWaiting: 'NoticeRunWaiting',
  notice: 'Notice',
  announcement: 'Announcement',
  districtAnnouncement: 'DistrictAnnouncement',
  noticeMessage: 'NoticeMessage',
  billingRun: 'BillingRun',
  billingRunPage: 'BillingRunPage',
  billingRunCounter: 'BillingRunCounter',
  billingRunFailure: 'BillingRunFailure',
  payment: 'Payment',
  noticeRunAccount: 'NoticeRunAccount',
  billDrop: 'BillDrop',
  complaint: 'Complaint',
  complaintTracking: 'ComplaintTracking',
  heldMessage: 'HeldMessage',
  open311Key: 'Open311Key',
} as const;

const INTERNAL = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'type',
  'ttl',
  'version',
]);

/** Drops the table's own attributes so items can be validated as domain objects. */
export function stripInternalKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !INTERNAL.has(name)));
}

/** Epoch seconds, the unit DynamoDB's TTL reads. */
export const ttlSeconds = (epochMs: number) => Math.ceil(epochMs / 1000);
