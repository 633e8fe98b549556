// NoticeStore on the single table: runs, their counted pages and counters, and one claim item per notice.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NoticeClaim, NoticeStore, Page, PageRequest } from '#app/ports';
import {
  countsOf,
  type NoticeChannel,
  type NoticeKey,
  type NoticeOutcome,
  type NoticeRecord,
  type NoticeRun,
  type NoticeRunCounts,
  type NoticeRunKey,
  noticeRecordSchema,
  noticeRunKeySchema,
  noticeRunSchema,
  runCountsOf,
} from '#domain/notice';
import {
  type DeliveryReport,
  deliveryCountsOf,
  type NoticeDelivery,
  nextDelivery,
} from '#domain/notice-delivery';
import { batchGet, queryAll } from './batch.ts';
import { listCursors, queryPage } from './cursor.ts';
import { ENTITY, keys, stripInternalKeys, ttlSeconds } from './keys.ts';

/**
 * A claim older than this is taken to be from a sender that died: longer than a sender runs (30 s), shorter than
 * the queue's visibility timeout (181 s), so the next delivery of its job takes it over. That sender may have got
 * the provider's answer before it died: the takeover sends again with the same idempotency key, which a provider
 * that honours keys answers without a second message (docs/architecture.md, "the one window").
 */
const STALE_CLAIM_MS = 90_000;

/** Counter items a run's outcomes are spread over. */
export const RUN_COUNTER_SHARDS = 16;

/** A notice's record stays for the delivery reports and a year of questions about it. */
const NOTICE_RETENTION_MS = 400 * 24 * 3600_000;

const counterShardOf = (id: string) => {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % RUN_COUNTER_SHARDS;
};

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** Reports that race on one notice: each loses at most to the others of its burst, so a few rounds settle it. */
const DELIVERY_ATTEMPTS = 5;

export interface NoticeStoreOptions {
  /**
   * Writes a provider message id -> notice pointer with each SMS notice's outcome (one more item in the same
   * transaction), for delivery reports that name only the provider's message id. @default false
   */
  messagePointers?: boolean;
}

export class DynamoNoticeStore implements NoticeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: NoticeStoreOptions = {},
  ) {}

  async startRun(
    run: Pick<NoticeRun, 'kind' | 'ref' | 'createdAt' | 'scheduledAt' | 'shards'>,
    restart: boolean,
  ): Promise<{ run: NoticeRun; started: boolean }> {
    const fresh: NoticeRun = { ...run, status: 'planning', starts: 1, shardsPlanned: [] };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.noticeRun(run.kind, run.ref), type: ENTITY.noticeRun, ...fresh },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { run: fresh, started: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    if (!restart) {
      const existing = await this.getRun(run);
      if (!existing) throw new Error(`Notice run ${run.kind}/${run.ref} vanished while being started`);
      return { run: existing, started: false };
    }
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.noticeRun(run.kind, run.ref),
        UpdateExpression:
          'SET #status = :planning, shardsPlanned = :none, shards = :shards REMOVE resumeAt ADD starts :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':planning': 'planning', ':none': [], ':shards': run.shards, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { run: noticeRunSchema.parse(stripInternalKeys(result.Attributes ?? {})), started: true };
  }

  async getRun(key: NoticeRunKey): Promise<NoticeRun | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.noticeRun(key.kind, key.ref), ConsistentRead: true }),
    );
    return result.Item ? noticeRunSchema.parse(stripInternalKeys(result.Item)) : undefined;
  }

  async holdRun(key: NoticeRunKey, resumeAt: string): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.table,
              Key: keys.noticeRun(key.kind, key.ref),
              UpdateExpression: 'SET #status = :waiting, resumeAt = :resumeAt',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':waiting': 'waiting', ':resumeAt': resumeAt },
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: {
                ...keys.noticeRunWaiting(key.kind, key.ref),
                type: ENTITY.noticeRunWaiting,
                kind: key.kind,
                ref: key.ref,
                resumeAt,
              },
            },
          },
        ],
      }),
    );
  }

  async heldRuns(): Promise<NoticeRunKey[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.noticeRunWaitingPartition },
      ConsistentRead: true,
    });
    return items.map((item) => noticeRunKeySchema.parse({ kind: item.kind, ref: item.ref }));
  }

  async unholdRun(key: NoticeRunKey): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.table, Key: keys.noticeRunWaiting(key.kind, key.ref) }),
    );
  }

  async recordPlannedPage(
    key: NoticeRunKey,
    page: { start: number; shard: number; pageKey: string; notices: number; last: boolean },
  ): Promise<boolean> {
    let counted = true;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.noticeRunPage(key.kind, key.ref, page.shard, page.pageKey),
                  type: ENTITY.noticeRunPage,
                  notices: page.notices,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: keys.noticeRunCounter(key.kind, key.ref, page.shard % RUN_COUNTER_SHARDS),
                UpdateExpression: 'SET #type = :type ADD planned :n',
                ExpressionAttributeNames: { '#type': 'type' },
                ExpressionAttributeValues: { ':type': ENTITY.noticeRunCounter, ':n': page.notices },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (error.CancellationReasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
      counted = false;
    }
    if (page.last) await this.markShardPlanned(key, page.start, page.shard);
    return counted;
  }

  async recordAccountPlanned(
    key: NoticeRunKey,
    page: { start: number; accountNumber: string; notices: number },
  ): Promise<boolean> {
    let counted = true;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.noticeRunAccount(key.kind, key.ref, page.accountNumber),
                  type: ENTITY.noticeRunAccount,
                  accountNumber: page.accountNumber,
                  notices: page.notices,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: keys.noticeRunCounter(key.kind, key.ref, 0),
                UpdateExpression: 'SET #type = :type ADD planned :n',
                ExpressionAttributeNames: { '#type': 'type' },
                ExpressionAttributeValues: { ':type': ENTITY.noticeRunCounter, ':n': page.notices },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (error.CancellationReasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
      counted = false;
    }
    await this.markShardPlanned(key, page.start, 0);
    return counted;
  }

  async runAccounts(key: NoticeRunKey, page: PageRequest): Promise<Page<string>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.noticeRun(key.kind, key.ref).pk,
          ':prefix': keys.noticeRunAccountPrefix,
        },
        ConsistentRead: true,
      },
      page,
      {
        ...listCursors.runAccounts,
        startKey: ({ accountNumber }) => keys.noticeRunAccount(key.kind, key.ref, accountNumber),
        positionOf: (item) => ({ accountNumber: String(item.accountNumber) }),
      },
    );
    return { ...result, items: result.items.map((item) => String(item.accountNumber)) };
  }

  /** Adds the shard to the start's planned shards; the last one makes the run planned. */
  private async markShardPlanned(key: NoticeRunKey, start: number, shard: number): Promise<void> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.noticeRun(key.kind, key.ref),
          UpdateExpression: 'SET shardsPlanned = list_append(shardsPlanned, :shard)',
          // Only in the start that read it, and once: a redelivered last page changes nothing.
          ConditionExpression: 'starts = :start AND NOT contains(shardsPlanned, :number)',
          ExpressionAttributeValues: { ':shard': [shard], ':start': start, ':number': shard },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const run = noticeRunSchema.parse(stripInternalKeys(result.Attributes ?? {}));
      if (run.shardsPlanned.length < run.shards) return;
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.noticeRun(key.kind, key.ref),
          UpdateExpression: 'SET #status = :planned',
          // A run the quiet hours hold stays waiting: it is planned anew when they end.
          ConditionExpression: 'starts = :start AND #status = :planning',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':planned': 'planned', ':start': start, ':planning': 'planning' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async claim(key: NoticeKey & { id: string; subscriptionId: string }, now: number): Promise<NoticeClaim> {
    try {
      await this.client.send(new PutCommand(this.claimPut(key, now)));
      return { state: 'claimed', claimedAt: now };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await this.get(key.id);
    return { state: existing?.status === 'done' ? 'done' : 'in-progress' };
  }

  async claimMany(
    notices: ReadonlyArray<NoticeKey & { id: string; subscriptionId: string }>,
    now: number,
  ): Promise<NoticeClaim[]> {
    const distinct = new Set(notices.map((notice) => notice.id)).size === notices.length;
    // One item is a plain put (a transaction costs twice); a notice twice in one delivery cannot be one transaction.
    if (notices.length > 1 && distinct) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: notices.map((notice) => ({ Put: this.claimPut(notice, now) })),
          }),
        );
        return notices.map(() => ({ state: 'claimed', claimedAt: now }));
      } catch (error) {
        // Some notice is claimed or recorded already, or another sender's write on it overlapped (a redelivery):
        // nothing was written, and each is claimed on its own, which tells them apart.
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    return Promise.all(notices.map((notice) => this.claim(notice, now)));
  }

  /** The notice's claim: absent, or claimed longer ago than a sender runs (its sender died), it is taken now. */
  private claimPut(key: NoticeKey & { id: string; subscriptionId: string }, now: number) {
    return {
      TableName: this.table,
      Item: {
        ...keys.notice(key.id),
        type: ENTITY.notice,
        id: key.id,
        kind: key.kind,
        ref: key.ref,
        accountNumber: key.accountNumber,
        phone: key.phone,
        subscriptionId: key.subscriptionId,
        status: 'sending',
        claimedAt: now,
        ttl: ttlSeconds(now + NOTICE_RETENTION_MS),
      },
      ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND claimedAt < :stale)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sending': 'sending', ':stale': now - STALE_CLAIM_MS },
    };
  }

  async complete(
    id: string,
    claimedAt: number,
    run: NoticeRunKey,
    outcome: NoticeOutcome,
    now: number,
  ): Promise<boolean> {
    return this.completeMany([{ id, claimedAt, run, outcome }], now);
  }

  async completeMany(
    notices: ReadonlyArray<{ id: string; claimedAt: number; run: NoticeRunKey; outcome: NoticeOutcome }>,
    now: number,
  ): Promise<boolean> {
    // The counts of each run in the write, added to one of its counter items (picked by its first notice's id).
    const counts = new Map<string, { run: NoticeRunKey; shard: number; fields: Record<string, number> }>();
    for (const notice of notices) {
      const name = `${notice.run.kind}#${notice.run.ref}`;
      const entry = counts.get(name) ?? { run: notice.run, shard: counterShardOf(notice.id), fields: {} };
      for (const [field, value] of Object.entries(countsOf(notice.outcome)))
        entry.fields[field] = (entry.fields[field] ?? 0) + value;
      counts.set(name, entry);
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...notices.map((notice) => ({ Update: this.recordUpdate(notice, now) })),
            ...[...counts.values()].map(({ run, shard, fields }) => ({
              Update: this.counterUpdate(run, shard, fields),
            })),
            ...(this.options.messagePointers
              ? notices.flatMap((notice) => this.pointerPut(notice, now))
              : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (!error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw error;
      return false;
    }
  }

  /** The notice's outcome, written if its claim is still the one taken at `claimedAt`. */
  private recordUpdate(
    notice: { id: string; claimedAt: number; outcome: NoticeOutcome },
    now: number,
  ): NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Update'] {
    const { outcome } = notice;
    const recorded: Record<string, unknown> =
      outcome.status === 'sent'
        ? {
            outcome: 'sent',
            channel: outcome.channel,
            fallback: outcome.fallback,
            providerMessageId: outcome.providerMessageId,
            parts: outcome.parts,
            format: outcome.format,
          }
        : { outcome: 'skipped', reason: outcome.reason, detail: outcome.detail };
    const fields = Object.entries(recorded).filter(([, value]) => value !== undefined);
    return {
      TableName: this.table,
      Key: keys.notice(notice.id),
      UpdateExpression: `SET #status = :done, completedAt = :now, ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':done': 'done',
        ':sending': 'sending',
        ':now': now,
        ':claimedAt': notice.claimedAt,
        ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
      },
    };
  }

  private counterUpdate(
    run: NoticeRunKey,
    shard: number,
    fields: Record<string, number>,
  ): NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Update'] {
    const counts = Object.entries(fields);
    return {
      TableName: this.table,
      Key: keys.noticeRunCounter(run.kind, run.ref, shard),
      UpdateExpression: `SET #type = :type ADD ${counts.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: {
        '#type': 'type',
        ...Object.fromEntries(counts.map(([name], i) => [`#c${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':type': ENTITY.noticeRunCounter,
        ...Object.fromEntries(counts.map(([, value], i) => [`:c${i}`, value])),
      },
    };
  }

  /** The provider message id -> notice pointer of a notice sent by SMS (none for the others). */
  private pointerPut(
    notice: { id: string; outcome: NoticeOutcome },
    now: number,
  ): NonNullable<TransactWriteCommandInput['TransactItems']> {
    const { outcome } = notice;
    if (outcome.status !== 'sent' || outcome.channel !== 'sms') return [];
    return [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.noticeMessage(outcome.providerMessageId),
            type: ENTITY.noticeMessage,
            noticeId: notice.id,
            ttl: ttlSeconds(now + NOTICE_RETENTION_MS),
          },
        },
      },
    ];
  }

  async release(id: string, claimedAt: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.notice(id),
          // Claimed at 0 is stale for every later claim: the next delivery takes it at once.
          UpdateExpression: 'SET claimedAt = :zero',
          ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':zero': 0, ':sending': 'sending', ':claimedAt': claimedAt },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async get(id: string): Promise<NoticeRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.notice(id), ConsistentRead: true }),
    );
    return result.Item ? noticeRecordSchema.parse(stripInternalKeys(result.Item)) : undefined;
  }

  async counts(key: NoticeRunKey): Promise<NoticeRunCounts> {
    const items = await batchGet(
      this.client,
      this.table,
      Array.from({ length: RUN_COUNTER_SHARDS }, (_, shard) =>
        keys.noticeRunCounter(key.kind, key.ref, shard),
      ),
    );
    const fields: Record<string, number> = {};
    for (const item of items) {
      for (const [name, value] of Object.entries(stripInternalKeys(item))) {
        if (typeof value === 'number') fields[name] = (fields[name] ?? 0) + value;
      }
    }
    return runCountsOf(fields);
  }

  async recordDelivery(
    id: string,
    channel: NoticeChannel,
    report: DeliveryReport,
    reportedAt: number,
  ): Promise<'recorded' | 'unchanged' | 'sending' | 'unknown'> {
    for (let attempt = 0; attempt < DELIVERY_ATTEMPTS; attempt++) {
      const notice = await this.get(id);
      if (notice?.status === 'sending') return 'sending';
      if (notice?.outcome !== 'sent' || notice.channel !== channel) return 'unknown';
      const current: NoticeDelivery | undefined = notice.delivery
        ? { status: notice.delivery, reason: notice.deliveryReason }
        : undefined;
      const next = nextDelivery(current, report);
      if (!next) return 'unchanged';
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: this.deliveryUpdate(id, current, next, reportedAt) },
              {
                Update: this.counterUpdate(
                  notice,
                  counterShardOf(id),
                  deliveryCountsOf(channel, current, next),
                ),
              },
            ],
          }),
        );
        return 'recorded';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        if (error.CancellationReasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
        // Another report changed the notice since it was read: decide again on what it holds now.
      }
    }
    throw new Error(`Notice ${id}: its delivery kept changing while a report was recorded`);
  }

  /** Sets the notice's delivery, on the condition that it still holds `current` (what the decision was made on). */
  private deliveryUpdate(
    id: string,
    current: NoticeDelivery | undefined,
    next: NoticeDelivery,
    reportedAt: number,
  ): NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Update'] {
    return {
      TableName: this.table,
      Key: keys.notice(id),
      // Named, not written out: no attribute name here can collide with DynamoDB's reserved words.
      UpdateExpression:
        next.reason === undefined
          ? 'SET #delivery = :next, #at = :at REMOVE #reason'
          : 'SET #delivery = :next, #reason = :reason, #at = :at',
      ConditionExpression: current
        ? '#outcome = :sent AND #delivery = :current'
        : '#outcome = :sent AND attribute_not_exists(#delivery)',
      ExpressionAttributeNames: {
        '#delivery': 'delivery',
        '#reason': 'deliveryReason',
        '#at': 'deliveryAt',
        '#outcome': 'outcome',
      },
      ExpressionAttributeValues: {
        ':sent': 'sent',
        ':next': next.status,
        ':at': reportedAt,
        ...(next.reason === undefined ? {} : { ':reason': next.reason }),
        ...(current ? { ':current': current.status } : {}),
      },
    };
  }

  async noticeOfMessage(providerMessageId: string): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.noticeMessage(providerMessageId),
        ConsistentRead: true,
      }),
    );
    const noticeId = result.Item?.noticeId;
    return typeof noticeId === 'string' ? noticeId : undefined;
  }
}
