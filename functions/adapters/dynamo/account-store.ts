// AccountStore on the single table: a profile item plus one item per registered phone.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountStore, RegisteredPhone } from '#app/ports';
import { type Account, accountSchema } from '#domain/account';
import { billingShard } from '#domain/billing-run';
import { batchGet, batchWrite, queryAll, type WriteRequest } from './batch.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    /** The account index's shards the billing run reads (config billing.run.shards). */
    private readonly billingShards = 16,
  ) {}

  async get(accountNumber: string): Promise<Account | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.account(accountNumber) }),
    );
    return result.Item ? accountSchema.parse(stripInternalKeys(result.Item)) : undefined;
  }

  async hasPhone(accountNumber: string, phone: string): Promise<boolean> {
    const { pk, sk } = keys.accountPhone(accountNumber, phone);
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk, sk }, ProjectionExpression: 'pk' }),
    );
    return result.Item !== undefined;
  }

  async accountsOfPhone(phone: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.phonePartition(phone), ':prefix': 'ACCT#' },
    });
    return items.map((item) => String(item.gsi1sk).slice('ACCT#'.length));
  }

  async existing(accountNumbers: string[]): Promise<Set<string>> {
    const unique = [...new Set(accountNumbers)];
    const items = await batchGet(this.client, this.table, unique.map(keys.account), 'accountNumber');
    return new Set(items.map((item) => String(item.accountNumber)));
  }

  async putMany(accounts: Account[]): Promise<RegisteredPhone[]> {
    if (accounts.length === 0) return [];
    const previous = await batchGet(
      this.client,
      this.table,
      accounts.map((a) => keys.account(a.accountNumber)),
      'accountNumber, phones',
    );
    const previousPhones = new Map(
      previous.map((item) => [String(item.accountNumber), (item.phones as string[] | undefined) ?? []]),
    );
    const requests: WriteRequest[] = [];
    const removed: RegisteredPhone[] = [];
    for (const account of accounts) {
      requests.push({
        PutRequest: {
          Item: {
            ...keys.account(account.accountNumber),
            ...keys.accountBilling(
              account.billingCycle ?? 0,
              billingShard(account.accountNumber, this.billingShards),
              account.accountNumber,
            ),
            type: ENTITY.account,
            ...account,
          },
        },
      });
      for (const phone of account.phones) {
        requests.push({
          PutRequest: {
            Item: { ...keys.accountPhone(account.accountNumber, phone), type: ENTITY.accountPhone, phone },
          },
        });
      }
      for (const stale of previousPhones.get(account.accountNumber) ?? []) {
        if (account.phones.includes(stale)) continue;
        const { pk, sk } = keys.accountPhone(account.accountNumber, stale);
        requests.push({ DeleteRequest: { Key: { pk, sk } } });
        removed.push({ accountNumber: account.accountNumber, phone: stale });
      }
    }
    await batchWrite(this.client, this.table, requests);
    return removed;
  }
}
