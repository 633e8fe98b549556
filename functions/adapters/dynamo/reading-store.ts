// ReadingStore on the single table: readings in the account's partition, sorted by period and time.
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ReadingStore } from '#app/ports';
import { type Reading, readingSchema } from '#domain/reading';
import { queryAll } from './batch.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

const parse = (item: Record<string, unknown>) => readingSchema.parse(stripInternalKeys(item));
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

  async list(accountNumber: string, page: { limit: number; cursor?: string }) {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.accountPartition(accountNumber),
          ':prefix': keys.readingPrefix,
        },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor, accountNumber) } : {}),
      }),
    );
    return {
      items: (result.Items ?? []).map(parse),
      ...(result.LastEvaluatedKey
        ? { cursor: Buffer.from(String(result.LastEvaluatedKey.sk)).toString('base64url') }
        : {}),
    };
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

/** The cursor carries only the sort key; anything that is not one of ours is refused. */
function decodeCursor(cursor: string, accountNumber: string): Record<string, string> {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith(keys.readingPrefix)) throw new RangeError('not a reading cursor');
  return { pk: keys.accountPartition(accountNumber), sk };
}
