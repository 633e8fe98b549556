// ReadingStore on the single table: readings in the account's partition, sorted by period and time; one guard
// item per meter and period names the reading that counts.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type {
  CountingReading,
  Page,
  PageRequest,
  ReadingContext,
  ReadingStore,
  ReadingWrite,
  ReadingWriteOptions,
} from '#app/ports';
import { accountSchema } from '#domain/account';
import { billSchema } from '#domain/bill';
import { type Reading, readingSchema, readingSourceSchema } from '#domain/reading';
import { batchGet, queryAll } from './batch.ts';
import { listCursors, queryPage } from './cursor.ts';
import { inboundItem } from './inbound-log.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const parse = (item: Record<string, unknown>) => readingSchema.parse(stripInternalKeys(item));
const keyOf = (r: Reading) => keys.reading(r.accountNumber, r.period, r.submittedAt, r.id);
/** A guard that records its counting reading (every guard written since guards carry values). */
const countingSchema = z.object({
  accountNumber: z.string(),
  meterId: z.string(),
  period: z.string(),
  readingId: z.string(),
  values: z.record(z.string(), z.number().int().nonnegative()),
  readAt: z.iso.date(),
  source: readingSourceSchema,
});
const countingOf = (item: Record<string, unknown>): CountingReading | undefined => {
  const parsed = countingSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const { accountNumber, meterId, period, readingId, values, readAt, source } = parsed.data;
  return { accountNumber, meterId, period, readingId, values, readAt, source };
};
const windowSchema = z.object({
  meterId: z.string(),
  period: z.string(),
  readingId: z.string(),
  count: z.number().int().nonnegative().optional(),
});

export class DynamoReadingStore implements ReadingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * One query of the account's item collection (profile, bills, readings, window guards): everything the rules
   * need in one round trip. It reads the whole collection, so its cost grows with the account's history (about
   * two items a month), which is what bounds it. The read is strongly consistent (twice the read units of an
   * eventually consistent one): the reading the window's guard names must be among the readings returned, or the
   * next reading could not supersede it.
   */
  async context(accountNumber: string): Promise<ReadingContext | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#type IN (:account, :bill, :reading, :window)',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':pk': keys.accountPartition(accountNumber),
        ':account': ENTITY.account,
        ':bill': ENTITY.bill,
        ':reading': ENTITY.reading,
        ':window': ENTITY.readingWindow,
      },
      // Newest first: bills and readings sort by period, so the latest come first within each kind.
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    const ofType = (type: string) => items.filter((item) => item.type === type).map(stripInternalKeys);
    const [profile] = ofType(ENTITY.account);
    if (!profile) return undefined;
    return {
      account: accountSchema.parse(profile),
      readings: ofType(ENTITY.reading).map((item) => readingSchema.parse(item)),
      bills: ofType(ENTITY.bill).map((item) => billSchema.parse(item)),
      windows: ofType(ENTITY.readingWindow).map((item) => windowSchema.parse(item)),
    };
  }

  async add(reading: Reading, options: ReadingWriteOptions): Promise<ReadingWrite> {
    const guard = keys.readingWindow(reading.accountNumber, reading.meterId, reading.period);
    // Every write of a window rewrites its guard (a reading that does not count too: the count moves on), so
    // concurrent writes of one window take turns and none is judged on a count that another has changed.
    const guarded =
      options.expectedCounting === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: `readingId = :expected AND ${
              options.expectedCount === undefined ? 'attribute_not_exists(#count)' : '#count = :count'
            }`,
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: {
              ':expected': options.expectedCounting,
              ...(options.expectedCount === undefined ? {} : { ':count': options.expectedCount }),
            },
          };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...keyOf(reading), type: ENTITY.reading, ...reading },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: {
            ...guard,
            ...keys.readingWindowByPeriod(
              reading.period,
              options.shard,
              reading.accountNumber,
              reading.meterId,
            ),
            type: ENTITY.readingWindow,
            accountNumber: reading.accountNumber,
            meterId: reading.meterId,
            period: reading.period,
            readingId: options.counting,
            count: options.count,
            values: options.countingReading.values,
            readAt: options.countingReading.readAt,
            source: options.countingReading.source,
          },
          ...guarded,
        },
      },
      ...options.supersedes.map(
        (old): TransactItem => ({
          Update: {
            TableName: this.table,
            Key: keyOf(old),
            UpdateExpression: 'SET #status = :superseded',
            // Only a reading that is there: an update would otherwise create a fragment of one.
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':superseded': 'superseded' },
          },
        }),
      ),
    ];
    if (options.inboundMessageId) {
      items.push({
        Put: {
          TableName: this.table,
          Item: inboundItem(options.inboundMessageId, 'done', options.now),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return 'added';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
      if (options.inboundMessageId && codes[items.length - 1] === 'ConditionalCheckFailed')
        return 'duplicate';
      if (codes.includes('ConditionalCheckFailed') || codes.includes('TransactionConflict'))
        return 'conflict';
      throw error;
    }
  }

  async list(accountNumber: string, page: PageRequest): Promise<Page<Reading>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.accountPartition(accountNumber),
          ':prefix': keys.readingPrefix,
        },
        ScanIndexForward: false,
      },
      page,
      {
        ...listCursors.readings,
        startKey: (p) => keys.reading(accountNumber, p.period, p.submittedAt, p.id),
        positionOf: (item) => ({
          period: String(item.period),
          submittedAt: String(item.submittedAt),
          id: String(item.id),
        }),
      },
    );
    return { ...result, items: result.items.map(parse) };
  }

  async countingFor(
    wanted: ReadonlyArray<{ accountNumber: string; meterId: string; period: string }>,
  ): Promise<CountingReading[]> {
    const unique = [
      ...new Map(wanted.map((k) => [`${k.accountNumber}|${k.meterId}|${k.period}`, k] as const)).values(),
    ];
    const items = await batchGet(
      this.client,
      this.table,
      unique.map((k) => keys.readingWindow(k.accountNumber, k.meterId, k.period)),
    );
    return items.flatMap((item) => countingOf(item) ?? []);
  }

  async listCountingForPeriod(
    period: string,
    shard: number,
    page: PageRequest,
  ): Promise<Page<CountingReading>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.readingPeriodShard(period, shard) },
      },
      page,
      {
        ...listCursors.periodReadings,
        startKey: (p) => ({
          ...keys.readingWindow(p.accountNumber, p.meterId, period),
          ...keys.readingWindowByPeriod(period, shard, p.accountNumber, p.meterId),
        }),
        positionOf: (item) => ({ accountNumber: String(item.accountNumber), meterId: String(item.meterId) }),
      },
    );
    return { ...result, items: result.items.flatMap((item) => countingOf(item) ?? []) };
  }
}
