// BillingStore on the single table: the account index, bills written once, and the billing run's pages and counts.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BillingStore, Page, PageRequest } from '#app/ports';
import { type Account, accountSchema } from '#domain/account';
import { type Bill, billSchema } from '#domain/bill';
import {
  type BillingCounts,
  type BillingFailure,
  type BillingRun,
  billingFailureSchema,
  billingRunSchema,
  emptyCounts,
} from '#domain/billing-run';
import { batchGet, batchWrite } from './batch.ts';
import { unpaidIndex } from './bill-store.ts';
import { listCursors, queryPage } from './cursor.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

/** TransactWriteItems takes at most 100 actions. */
const TRANSACTION_ITEMS = 100;

type BillWrite = { created: true } | { created: false; existing: Bill };

/** A run's counts are spread over this many items, picked by the page's part. */
const RUN_COUNTER_ITEMS = 16;

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export class DynamoBillingStore implements BillingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    /** The utility's fan-out shards: a new bill is listed in the unpaid-bills index on its account's shard. */
    private readonly fanOutShards: number,
  ) {}

  async startRun(
    run: Pick<BillingRun, 'period' | 'parts' | 'shards' | 'createdAt' | 'scheduledAt'>,
    restart: boolean,
  ): Promise<{ run: BillingRun; started: boolean }> {
    const fresh: BillingRun = { ...run, status: 'running', starts: 1, partsDone: [] };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.billingRun(run.period), type: ENTITY.billingRun, ...fresh },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { run: fresh, started: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    if (!restart) {
      const existing = await this.getRun(run.period);
      if (!existing) throw new Error(`Billing run ${run.period} vanished while being started`);
      return { run: existing, started: false };
    }
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.billingRun(run.period),
        UpdateExpression:
          'SET #status = :running, partsDone = :none, parts = :parts, shards = :shards REMOVE finishedAt ADD starts :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':running': 'running',
          ':none': [],
          ':parts': run.parts,
          ':shards': run.shards,
          ':one': 1,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { run: billingRunSchema.parse(stripInternalKeys(result.Attributes ?? {})), started: true };
  }

  async getRun(period: string): Promise<BillingRun | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.billingRun(period), ConsistentRead: true }),
    );
    return result.Item ? billingRunSchema.parse(stripInternalKeys(result.Item)) : undefined;
  }

  async accountsPage(cycle: number, shard: number, page: PageRequest): Promise<Page<Account>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :part',
        ExpressionAttributeValues: { ':part': keys.accountBillingPart(cycle, shard) },
      },
      page,
      {
        ...listCursors.billingAccounts,
        startKey: ({ accountNumber }) => ({
          ...keys.account(accountNumber),
          ...keys.accountBilling(cycle, shard, accountNumber),
        }),
        positionOf: (item) => ({ accountNumber: String(item.accountNumber) }),
      },
    );
    return { ...result, items: result.items.map((item) => accountSchema.parse(stripInternalKeys(item))) };
  }

  async billsOf(accountNumbers: string[], periods: string[]): Promise<Map<string, Bill[]>> {
    const items = await batchGet(
      this.client,
      this.table,
      accountNumbers.flatMap((accountNumber) => periods.map((period) => keys.bill(accountNumber, period))),
    );
    const found = new Map<string, Bill[]>(accountNumbers.map((n) => [n, []]));
    for (const item of items) {
      const bill = billSchema.parse(stripInternalKeys(item));
      found.get(bill.accountNumber)?.push(bill);
    }
    for (const bills of found.values()) bills.sort((a, b) => (a.period < b.period ? 1 : -1));
    return found;
  }

  async createBills(bills: Bill[]): Promise<BillWrite[]> {
    if (bills.length === 0) return [];
    // Usually none of the page's bills exists: one transaction writes them all, each on its own condition.
    if (bills.length > 1 && bills.length <= TRANSACTION_ITEMS) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: bills.map((bill) => ({
              Put: {
                TableName: this.table,
                Item: this.itemOf(bill),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        );
        return bills.map(() => ({ created: true }));
      } catch (error) {
        // Some bill exists (a page read again, a restart) or another writer overlapped: one by one below.
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    return Promise.all(bills.map((bill) => this.createBill(bill)));
  }

  private itemOf(bill: Bill): Record<string, unknown> {
    return {
      ...keys.bill(bill.accountNumber, bill.period),
      ...unpaidIndex(bill, this.fanOutShards),
      type: ENTITY.bill,
      ...bill,
    };
  }

  private async createBill(bill: Bill): Promise<BillWrite> {
    const key = keys.bill(bill.accountNumber, bill.period);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: this.itemOf(bill),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    if (!result.Item)
      throw new Error(`Bill ${bill.accountNumber}/${bill.period} vanished while being written`);
    return { created: false, existing: billSchema.parse(stripInternalKeys(result.Item)) };
  }

  async recordFailures(period: string, failures: BillingFailure[]): Promise<void> {
    await batchWrite(
      this.client,
      this.table,
      failures.map((failure) => ({
        PutRequest: {
          Item: {
            ...keys.billingRunFailure(period, failure.accountNumber),
            type: ENTITY.billingRunFailure,
            ...failure,
          },
        },
      })),
    );
  }

  async recordPage(
    period: string,
    page: { start: number; part: number; pageKey: string; counts: BillingCounts; last: boolean; now: string },
  ): Promise<{ counted: boolean; finished: boolean }> {
    const { counts } = page;
    const methodNames = Object.keys(counts.methods);
    const names: Record<string, string> = { '#type': 'type' };
    const values: Record<string, unknown> = {
      ':type': ENTITY.billingRunCounter,
      ':created': counts.created,
      ':skipped': counts.skipped,
      ':failed': counts.failed,
      ':leak': counts.leakSuspected,
      ':amount': counts.amountDue,
    };
    const adds = [
      'created :created',
      'skipped :skipped',
      'failed :failed',
      'leakSuspected :leak',
      'amountDue :amount',
    ];
    methodNames.forEach((method, i) => {
      names[`#m${i}`] = `method.${method}`;
      values[`:m${i}`] = counts.methods[method];
      adds.push(`#m${i} :m${i}`);
    });
    let counted = true;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.billingRunPage(period, page.part, page.pageKey),
                  type: ENTITY.billingRunPage,
                  ...counts,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: keys.billingRunCounter(period, page.part % RUN_COUNTER_ITEMS),
                UpdateExpression: `SET #type = :type ADD ${adds.join(', ')}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
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
    if (!page.last) return { counted, finished: false };
    return { counted, finished: await this.markPartDone(period, page.start, page.part, page.now) };
  }

  /** Marks a part read to its end by a start; answers whether the run is done (now or before). */
  private async markPartDone(period: string, start: number, part: number, now: string): Promise<boolean> {
    let run: BillingRun | undefined;
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.billingRun(period),
          UpdateExpression: 'SET partsDone = list_append(partsDone, :part)',
          // Only in the start that read it, and once: a redelivered last page changes nothing.
          ConditionExpression: 'starts = :start AND NOT contains(partsDone, :number)',
          ExpressionAttributeValues: { ':part': [part], ':start': start, ':number': part },
          ReturnValues: 'ALL_NEW',
        }),
      );
      run = billingRunSchema.parse(stripInternalKeys(result.Attributes ?? {}));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      run = await this.getRun(period);
      return run?.starts === start && run.status === 'done';
    }
    if (run.parts.some((p) => !run.partsDone.includes(p))) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.billingRun(period),
          UpdateExpression: 'SET #status = :done, finishedAt = :now',
          ConditionExpression: 'starts = :start',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done', ':start': start, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  async counts(period: string): Promise<BillingCounts> {
    const items = await batchGet(
      this.client,
      this.table,
      Array.from({ length: RUN_COUNTER_ITEMS }, (_, n) => keys.billingRunCounter(period, n)),
    );
    const counts = emptyCounts();
    for (const item of items) {
      for (const [name, value] of Object.entries(stripInternalKeys(item))) {
        if (typeof value !== 'number') continue;
        if (name.startsWith('method.')) {
          const method = name.slice('method.'.length);
          counts.methods[method] = (counts.methods[method] ?? 0) + value;
        } else if (name === 'created' || name === 'skipped' || name === 'failed') {
          counts[name] += value;
        } else if (name === 'leakSuspected' || name === 'amountDue') {
          counts[name] += value;
        }
      }
    }
    return counts;
  }

  async failures(period: string, page: PageRequest): Promise<Page<BillingFailure>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.billingRunPartition(period),
          ':prefix': keys.billingRunFailurePrefix,
        },
      },
      page,
      {
        ...listCursors.billingFailures,
        startKey: ({ accountNumber }) => keys.billingRunFailure(period, accountNumber),
        positionOf: (item) => ({ accountNumber: String(item.accountNumber) }),
      },
    );
    return {
      ...result,
      items: result.items.map((item) => billingFailureSchema.parse(stripInternalKeys(item))),
    };
  }
}
