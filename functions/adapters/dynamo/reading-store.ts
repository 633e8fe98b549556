// ReadingStore on the single table: readings in the account's partition, sorted by period and time.
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Page, PageRequest, ReadingStore } from '#app/ports';
import { PERIOD_PATTERN } from '#domain/period';
import { type Reading, readingSchema } from '#domain/reading';
import { queryAll } from './batch.ts';
import { cursorCodec, queryPage } from './cursor.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

const parse = (item: Record<string, unknown>) => readingSchema.parse(stripInternalKeys(item));
const cursors = cursorCodec(
  'readings',
  z.strictObject({
    period: z.string().regex(PERIOD_PATTERN),
    submittedAt: z.iso.datetime({ offset: true }),
    id: z.string().min(1).max(64),
  }),
);
const keyOf = (r: Reading) => keys.reading(r.accountNumber, r.period, r.submittedAt, r.id);

export class DynamoReadingStore implements ReadingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(reading: Reading, supersedes: Reading[]): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...keyOf(reading), type: ENTITY.reading, ...reading },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...supersedes.map((old) => ({
            Update: {
              TableName: this.table,
              Key: keyOf(old),
              UpdateExpression: 'SET #status = :superseded',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':superseded': 'superseded' },
            },
          })),
        ],
      }),
    );
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
        ...cursors,
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

  async recent(accountNumber: string, meterId: string, sincePeriod: string): Promise<Reading[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      FilterExpression: 'meterId = :meter',
      ExpressionAttributeValues: {
        ':pk': keys.accountPartition(accountNumber),
        ':from': `${keys.readingPrefix}${sincePeriod}`,
        ':meter': meterId,
      },
      ScanIndexForward: false,
    });
    return items.filter((item) => String(item.sk).startsWith(keys.readingPrefix)).map(parse);
  }
}
