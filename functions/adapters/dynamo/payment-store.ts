// PaymentStore on the single table: a payment item per reference written with its bill's versioned update.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type {
  Page,
  PageRequest,
  PaymentStore,
  PaymentWrite,
  RecordedPayment,
  VersionedBill,
} from '#app/ports';
import { type Bill, billSchema } from '#domain/bill';
import { paymentInputSchema } from '#domain/payment';
import { listCursors, queryPage } from './cursor.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

const recordedPaymentSchema = paymentInputSchema.extend({ recordedAt: z.iso.datetime({ offset: true }) });

const parseBill = (item: Record<string, unknown>) => billSchema.parse(stripInternalKeys(item));

export class DynamoPaymentStore implements PaymentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async billForPayment(accountNumber: string, period: string): Promise<VersionedBill | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.bill(accountNumber, period), ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    // Bills written before payments were versioned (and every bill put by an import) have none: version 0.
    const version = typeof result.Item.version === 'number' ? result.Item.version : 0;
    return { bill: parseBill(result.Item), version };
  }

  async get(reference: string): Promise<RecordedPayment | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.payment(reference), ConsistentRead: true }),
    );
    return result.Item ? recordedPaymentSchema.parse(stripInternalKeys(result.Item)) : undefined;
  }

  async record(payment: RecordedPayment, next: Bill, expectedVersion: number): Promise<PaymentWrite> {
    const paid = next.status === 'paid';
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.payment(payment.reference), type: ENTITY.payment, ...payment },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: keys.bill(next.accountNumber, next.period),
                // A paid bill leaves the unpaid-bills index; an unpaid one keeps its entry as it is.
                UpdateExpression: `SET payments = :payments, #status = :status, version = :next${paid ? ' REMOVE gsi1pk, gsi1sk' : ''}`,
                ConditionExpression:
                  expectedVersion === 0
                    ? 'attribute_exists(pk) AND attribute_not_exists(version)'
                    : 'version = :expected',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':payments': next.payments,
                  ':status': next.status,
                  ':next': expectedVersion + 1,
                  ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
                },
              },
            },
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [reference, bill] = error.CancellationReasons ?? [];
      if (reference?.Code === 'ConditionalCheckFailed') return 'reference-taken';
      if (bill?.Code === 'ConditionalCheckFailed') return 'bill-changed';
      // A conflict with another transaction on the same items: read again and retry, as for a changed bill.
      if (reference?.Code === 'TransactionConflict' || bill?.Code === 'TransactionConflict') {
        return 'bill-changed';
      }
      throw error;
    }
  }

  async unpaidDue(dueDate: string, shard: number, page: PageRequest): Promise<Page<Bill>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.unpaidShard(dueDate, shard) },
      },
      page,
      {
        ...listCursors.unpaidBills,
        startKey: ({ accountNumber, period }) => {
          // The index key of the item after which the page starts, with the table key GSIs also need.
          const index = keys.unpaidBill(dueDate, shard, accountNumber);
          return { ...keys.bill(accountNumber, period), gsi1pk: index.gsi1pk, gsi1sk: index.gsi1sk };
        },
        positionOf: (item) => ({ accountNumber: String(item.accountNumber), period: String(item.period) }),
      },
    );
    return { ...result, items: result.items.map(parseBill) };
  }

  async markOverdue(accountNumber: string, period: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.bill(accountNumber, period),
          // A new version, so a payment computed on the unpaid bill reads it again (and keeps it overdue if short).
          UpdateExpression: 'SET #status = :overdue, version = if_not_exists(version, :zero) + :one',
          ConditionExpression: '#status = :unpaid',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':overdue': 'overdue', ':unpaid': 'unpaid', ':zero': 0, ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
