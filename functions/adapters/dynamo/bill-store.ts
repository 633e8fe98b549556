// BillStore on the single table: bills sort by period inside the account's partition.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BillPage, BillStore } from '#app/ports';
import { type Bill, billSchema } from '#domain/bill';
import { batchWrite } from './batch.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

export class DynamoBillStore implements BillStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(accountNumber: string, options: { limit: number; before?: string }): Promise<BillPage> {
    // One more than asked tells whether another page exists without a second round trip.
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.accountPartition(accountNumber),
          ':prefix': keys.billPrefix,
        },
        ScanIndexForward: false,
        Limit: options.limit + 1,
        ...(options.before ? { ExclusiveStartKey: keys.bill(accountNumber, options.before) } : {}),
      }),
    );
    const bills = (result.Items ?? []).map((item) => billSchema.parse(stripInternalKeys(item)));
    return { bills: bills.slice(0, options.limit), hasMore: bills.length > options.limit };
  }

  async get(accountNumber: string, period: string): Promise<Bill | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.bill(accountNumber, period) }),
    );
    return result.Item ? billSchema.parse(stripInternalKeys(result.Item)) : undefined;
  }

  async putMany(bills: Bill[]): Promise<void> {
    await batchWrite(
      this.client,
      this.table,
      bills.map((bill) => ({
        PutRequest: { Item: { ...keys.bill(bill.accountNumber, bill.period), type: ENTITY.bill, ...bill } },
      })),
    );
  }
}
