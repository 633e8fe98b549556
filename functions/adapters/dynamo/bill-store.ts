// BillStore on the single table: bills sort by period inside the account's partition.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BillStore, Page, PageRequest } from '#app/ports';
import type { AutoPayChange } from '#domain/auto-pay';
import { type Bill, billSchema } from '#domain/bill';
import { fanOutShard } from '#domain/subscription';
import { batchWrite } from './batch.ts';
import { listCursors, queryPage } from './cursor.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

const parse = (item: Record<string, unknown>) => billSchema.parse(stripInternalKeys(item));

export class DynamoBillStore implements BillStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    /** The utility's fan-out shards (subscriptions.fanOutShards): the unpaid-bills index is spread over them. */
    private readonly fanOutShards: number,
  ) {}

  async list(accountNumber: string, page: PageRequest): Promise<Page<Bill>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.accountPartition(accountNumber),
          ':prefix': keys.billPrefix,
        },
        ScanIndexForward: false,
      },
      page,
      {
        ...listCursors.bills,
        startKey: ({ period }) => keys.bill(accountNumber, period),
        positionOf: (item) => ({ period: String(item.period) }),
      },
    );
    return { ...result, items: result.items.map(parse) };
  }

  async get(accountNumber: string, period: string): Promise<Bill | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.bill(accountNumber, period) }),
    );
    return result.Item ? parse(result.Item) : undefined;
  }

  async putMany(bills: Bill[]): Promise<void> {
    await batchWrite(
      this.client,
      this.table,
      bills.map((bill) => ({
        PutRequest: {
          Item: {
            ...keys.bill(bill.accountNumber, bill.period),
            ...unpaidIndex(bill, this.fanOutShards),
            type: ENTITY.bill,
            ...bill,
          },
        },
      })),
    );
  }

  async recordAutoPay(
    accountNumber: string,
    period: string,
    change: AutoPayChange,
    expectedPayments: number,
  ): Promise<'recorded' | 'duplicate' | 'changed' | 'missing'> {
    const reference = change.autoPay.reference;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.bill(accountNumber, period),
          // A new version, so a payment worked out on the bill as it was reads it again instead of overwriting the
          // payment appended here; a bill now paid leaves the unpaid-bills index, as a paying payment's write does.
          UpdateExpression: `SET autoPay = :autoPay, #status = :status, version = if_not_exists(version, :zero) + :one${change.payment ? ', payments = list_append(payments, :payment)' : ''}${change.status === 'paid' ? ' REMOVE gsi1pk, gsi1sk' : ''}`,
          // The payments counted when the change was worked out, and this reference not yet recorded.
          ConditionExpression:
            'attribute_exists(pk) AND size(payments) = :count AND (attribute_not_exists(autoPay.#ref) OR autoPay.#ref <> :reference)',
          ExpressionAttributeNames: { '#status': 'status', '#ref': 'reference' },
          ExpressionAttributeValues: {
            ':autoPay': change.autoPay,
            ':status': change.status,
            ':count': expectedPayments,
            ':reference': reference ?? '',
            ':zero': 0,
            ':one': 1,
            ...(change.payment ? { ':payment': [change.payment] } : {}),
          },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const bill = await this.get(accountNumber, period);
    if (!bill) return 'missing';
    return bill.autoPay?.reference === reference ? 'duplicate' : 'changed';
  }
}

/** A bill that is not paid is listed under its due date in the unpaid-bills index (gsi1), in its account's shard. */
export function unpaidIndex(bill: Bill, fanOutShards: number): Record<string, string> {
  if (bill.status === 'paid') return {};
  return keys.unpaidBill(bill.dueDate, fanOutShard(bill.accountNumber, fanOutShards), bill.accountNumber);
}
