// SubscriptionStore on the single table: the subscription item, a pointer in the account's
// partition, and (while active) a per-(account, phone) slot and a per-account counter, changed together
// in transactions so the uniqueness and phones-per-account rules hold under concurrent sign-ups.

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ActivationOptions,
  type ActivationResult,
  InvalidCursorError,
  type Page,
  type PageRequest,
  type SubscriptionStore,
} from '#app/ports';
import { importedPerAccount, type Subscription, subscriptionSchema } from '#domain/subscription';
import { batchGet, batchWrite, queryAll, type WriteRequest } from './batch.ts';
import { listCursors, queryPage } from './cursor.ts';
import { ENTITY, keys, stripInternalKeys, ttlSeconds } from './keys.ts';
import { cancellationCodes, type TransactItem, transact } from './transact.ts';

/** The ops-only walk over every subscription: a position is the last subscription a page returned. */

const parse = (item: Record<string, unknown>) => subscriptionSchema.parse(stripInternalKeys(item));

function subscriptionItem(subscription: Subscription): Record<string, unknown> {
  return {
    ...keys.subscription(subscription.id),
    ...keys.subscriptionByPhone(subscription.phone, subscription.id),
    type: ENTITY.subscription,
    ...subscription,
  };
}

/** The item that lists the subscription in its account's partition, newest first by creation. */
function pointerItem(subscription: Subscription, ttl?: number): Record<string, unknown> {
  return {
    ...keys.accountSubscription(subscription.accountNumber, subscription.createdAt, subscription.id),
    type: ENTITY.accountSubscription,
    subscriptionId: subscription.id,
    createdAt: subscription.createdAt,
    ttl,
  };
}

/** Attribute updates for every domain field of the subscription (absent optional fields are removed). */
/** The index keys of an active subscription: its notice fan-out shard, and its district's (when it has one). */
function indexKeys(subscription: Subscription, shard: number): Record<string, string> {
  if (!subscription.effectiveMonth) throw new Error('an active subscription has an effective month');
  return {
    ...keys.noticeFanOut(shard, subscription.effectiveMonth, subscription.id),
    ...(subscription.district ? keys.districtFanOut(subscription.district, shard, subscription.id) : {}),
  };
}

function fieldUpdates(next: Subscription, extraSet: Record<string, unknown>, extraRemove: string[]) {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [...extraRemove];
  const optional = [
    'households',
    'verifiedAt',
    'effectiveMonth',
    'endedAt',
    'endedBy',
    'endedReason',
    'district',
  ] as const;
  const fields = { ...next, ...extraSet } as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'id' || value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    set.push(`#${name} = :${name}`);
  }
  for (const name of optional) {
    if (next[name] === undefined) {
      names[`#${name}`] = name;
      remove.push(`#${name}`);
    }
  }
  for (const name of extraRemove) names[name] = name.slice(1);
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export class DynamoSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Writes the subscription's new state, only if it is still in `from` (first item of every transaction). */
  private transition(
    next: Subscription,
    from: Subscription['status'],
    update: ReturnType<typeof fieldUpdates>,
  ): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: keys.subscription(next.id),
        ...update,
        ConditionExpression: '#status = :from',
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':from': from },
      },
    };
  }

  /** The item that lists the subscription in its account's partition (expiring with a pending one). */
  private pointer(subscription: Subscription, ttl?: number): TransactItem {
    return { Put: { TableName: this.table, Item: pointerItem(subscription, ttl) } };
  }

  private oldPointer(subscription: Subscription) {
    return this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.oldAccountSubscription(subscription.accountNumber, subscription.id),
        ProjectionExpression: 'pk, #ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ConsistentRead: true,
      }),
    );
  }

  async createPending(subscription: Subscription, retainUntil: number): Promise<void> {
    const ttl = ttlSeconds(retainUntil);
    // A decoy is kept under its id alone: no phone index, no account pointer (a stand-in item instead).
    const item = subscription.decoy
      ? { ...keys.subscription(subscription.id), type: ENTITY.subscription, ...subscription }
      : subscriptionItem(subscription);
    const second: TransactItem = subscription.decoy
      ? {
          Put: {
            TableName: this.table,
            Item: { ...keys.decoySubscription(subscription.id), type: ENTITY.decoySubscription, ttl },
          },
        }
      : this.pointer(subscription, ttl);
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...item, ttl },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          second,
        ],
      }),
    );
  }

  async get(id: string): Promise<Subscription | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.subscription(id), ConsistentRead: true }),
    );
    return result.Item ? parse(result.Item) : undefined;
  }

  async activate(next: Subscription, options: ActivationOptions): Promise<ActivationResult> {
    if (next.status !== 'active' || !next.effectiveMonth)
      throw new Error('activate needs an active subscription');
    const update = fieldUpdates(next, indexKeys(next, options.shard), ['#ttl']);
    const items: TransactItem[] = [
      this.transition(next, options.from, update),
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.accountSubscribedPhone(next.accountNumber, next.phone),
            type: ENTITY.accountSubscribedPhone,
            subscriptionId: next.id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.table,
          Key: keys.accountSubscriptionCount(next.accountNumber),
          UpdateExpression: 'SET active = if_not_exists(active, :zero) + :one, #type = :type',
          ConditionExpression: 'attribute_not_exists(active) OR active < :max',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':max': options.maxPhones,
            ':type': ENTITY.accountSubscriptionCount,
          },
        },
      },
      this.pointer(next),
    ];
    try {
      await transact(this.client, items);
      return 'activated';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [subscription, slot, counter] = cancellationCodes(error);
      if (subscription === 'ConditionalCheckFailed') return 'conflict';
      if (slot === 'ConditionalCheckFailed') return 'duplicate';
      if (counter === 'ConditionalCheckFailed') return 'too-many-phones';
      throw error;
    }
  }

  async importActive(
    subscriptions: ReadonlyArray<{ subscription: Subscription; shard: number }>,
    maxPhones: number,
  ): Promise<void> {
    const perAccount = importedPerAccount(
      subscriptions.map((s) => s.subscription),
      maxPhones,
    );
    // The count item exists once an account has had an active subscription: such accounts go through activate().
    const counted = await batchGet(
      this.client,
      this.table,
      [...perAccount.keys()].map(keys.accountSubscriptionCount),
      'pk',
    );
    if (counted.length > 0)
      throw new Error(
        `${counted.length} of the accounts have subscriptions already, e.g. ${String(counted[0]?.pk)}`,
      );
    const requests: WriteRequest[] = [];
    for (const { subscription, shard } of subscriptions) {
      requests.push(
        {
          PutRequest: {
            Item: { ...subscriptionItem(subscription), ...indexKeys(subscription, shard) },
          },
        },
        { PutRequest: { Item: pointerItem(subscription) } },
        {
          PutRequest: {
            Item: {
              ...keys.accountSubscribedPhone(subscription.accountNumber, subscription.phone),
              type: ENTITY.accountSubscribedPhone,
              subscriptionId: subscription.id,
            },
          },
        },
      );
    }
    for (const [accountNumber, active] of perAccount) {
      requests.push({
        PutRequest: {
          Item: {
            ...keys.accountSubscriptionCount(accountNumber),
            type: ENTITY.accountSubscriptionCount,
            active,
          },
        },
      });
    }
    await batchWrite(this.client, this.table, requests);
  }

  async end(next: Subscription, from: Subscription['status']): Promise<boolean> {
    // Ending an active one takes it out of the notice index; a pending one no longer expires by itself, unless it
    // is a decoy, which stays unlisted and goes with its day.
    const remove =
      from === 'active'
        ? ['#gsi2pk', '#gsi2sk', '#gsi3pk', '#gsi3sk']
        : from === 'pending' && !next.decoy
          ? ['#ttl']
          : [];
    const update = fieldUpdates(next, {}, remove);
    const items: TransactItem[] = [this.transition(next, from, update)];
    if (from === 'active') {
      items.push(
        {
          Delete: {
            TableName: this.table,
            Key: keys.accountSubscribedPhone(next.accountNumber, next.phone),
            ConditionExpression: 'subscriptionId = :id',
            ExpressionAttributeValues: { ':id': next.id },
          },
        },
        {
          Update: {
            TableName: this.table,
            Key: keys.accountSubscriptionCount(next.accountNumber),
            UpdateExpression: 'SET active = active - :one',
            ConditionExpression: 'active > :zero',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
          },
        },
      );
    }
    if (from === 'pending' && !next.decoy) {
      // A cancelled sign-up stays listed on the account; it no longer expires by itself.
      items.push(this.pointer(next));
    }
    try {
      await transact(this.client, items);
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        cancellationCodes(error)[0] === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      throw error;
    }
  }

  async listByAccount(accountNumber: string, page: PageRequest): Promise<Page<Subscription>> {
    const pointers = await queryPage(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.accountPartition(accountNumber),
          ':prefix': keys.accountSubscriptionPrefix,
        },
        ProjectionExpression: 'pk, sk, subscriptionId, createdAt',
        ScanIndexForward: false,
      },
      page,
      {
        ...listCursors.accountSubscriptions,
        startKey: (p) => keys.accountSubscription(accountNumber, p.createdAt, p.id),
        positionOf: (item) => ({ createdAt: String(item.createdAt), id: String(item.subscriptionId) }),
      },
    );
    const ids = pointers.items.map((item) => String(item.subscriptionId));
    const found = new Map(
      (await batchGet(this.client, this.table, ids.map(keys.subscription)))
        .map(parse)
        .map((s) => [s.id, s] as const),
    );
    // A pointer outlives its pending subscription by up to TTL's delay: such a gap is skipped.
    const items = ids.flatMap((id) => found.get(id) ?? []);
    return { items, cursor: pointers.cursor };
  }

  async listByPhone(phone: string): Promise<Subscription[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.phonePartition(phone),
        ':prefix': keys.subscriptionPhonePrefix,
      },
    });
    return items.map(parse);
  }

  async listForNoticeMonth(month: string, shard: number, page: PageRequest): Promise<Page<Subscription>> {
    // Effective month not after `month`: every sort key below "<month>#\uffff" (ISO months sort as text).
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :upper',
        ExpressionAttributeValues: { ':pk': keys.noticeShard(shard), ':upper': `${month}#\uffff` },
      },
      page,
      {
        ...listCursors.noticeRecipients,
        startKey: (p) => {
          // A place past this month's end comes from a later month's list (DynamoDB would refuse the key).
          if (p.effectiveMonth > month) throw new InvalidCursorError();
          return { ...keys.subscription(p.id), ...keys.noticeFanOut(shard, p.effectiveMonth, p.id) };
        },
        positionOf: (item) => ({ effectiveMonth: String(item.effectiveMonth), id: String(item.id) }),
      },
    );
    return { ...result, items: result.items.map(parse) };
  }

  async listForDistrict(
    district: string,
    shard: number,
    page: PageRequest,
  ): Promise<Page<Pick<Subscription, 'id' | 'accountNumber'>>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.districtShard(district, shard) },
        ProjectionExpression: '#id, #account',
        ExpressionAttributeNames: { '#id': 'id', '#account': 'accountNumber' },
      },
      page,
      {
        ...listCursors.districtSubscribers,
        startKey: (p) => ({ ...keys.subscription(p.id), ...keys.districtFanOut(district, shard, p.id) }),
        positionOf: (item) => ({ id: String(item.id) }),
      },
    );
    return {
      ...result,
      items: result.items.map((item) => ({ id: String(item.id), accountNumber: String(item.accountNumber) })),
    };
  }

  // Ops only: the walk and the pointer upgrade of the subscriptions migration (a Scan is never on a request path).

  async scanAll(page: PageRequest): Promise<Page<Subscription>> {
    let start: Record<string, unknown> | undefined =
      page.cursor === undefined
        ? undefined
        : keys.subscription(listCursors.allSubscriptions.decode(page.cursor).id);
    const found: Record<string, unknown>[] = [];
    let tableLeft: boolean;
    // Scan's Limit counts the items it reads, before the filter: read on until one more than a page is found (so
    // the last page has no cursor) or the table ends. Reading page + 1 items a call wastes nothing where
    // subscriptions are dense; where they are sparse it only takes more calls.
    do {
      const result = await this.client.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: '#type = :type',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': ENTITY.subscription },
          ConsistentRead: true,
          Limit: page.limit + 1,
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
      tableLeft = start !== undefined;
    } while (found.length <= page.limit && tableLeft);
    const items = found.slice(0, page.limit).map(parse);
    const last = items.at(-1);
    // The next page starts after the last subscription returned (its key is a valid place to resume a Scan),
    // so the cursor names a subscription, never the Scan's own LastEvaluatedKey.
    const more = found.length > page.limit || tableLeft;
    return { items, cursor: more && last ? listCursors.allSubscriptions.encode({ id: last.id }) : undefined };
  }

  async hasOldAccountPointer(subscription: Subscription): Promise<boolean> {
    return (await this.oldPointer(subscription)).Item !== undefined;
  }

  async indexDistrict(subscription: Subscription, district: string, shard: number): Promise<boolean> {
    const index = keys.districtFanOut(district, shard, subscription.id);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.subscription(subscription.id),
          UpdateExpression: 'SET district = :district, gsi3pk = :pk, gsi3sk = :sk',
          ConditionExpression: '#status = :active AND attribute_not_exists(district)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':district': district,
            ':pk': index.gsi3pk,
            ':sk': index.gsi3sk,
            ':active': 'active',
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async upgradeAccountPointer(subscription: Subscription): Promise<boolean> {
    const old = (await this.oldPointer(subscription)).Item;
    if (!old) return false;
    const oldKey = keys.oldAccountSubscription(subscription.accountNumber, subscription.id);
    // A pending sign-up's pointer expires with it; no other pointer has a ttl.
    const ttl = subscription.status === 'pending' && typeof old.ttl === 'number' ? old.ttl : undefined;
    try {
      await transact(this.client, [
        // A verify, cancel or STOP since the deploy has written the current form already (without a ttl, which a
        // stale pending state read here must not bring back): then only the old one goes.
        {
          Put: {
            TableName: this.table,
            Item: pointerItem(subscription, ttl),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Delete: { TableName: this.table, Key: oldKey } },
      ]);
    } catch (error) {
      if (
        !(error instanceof TransactionCanceledException) ||
        cancellationCodes(error)[0] !== 'ConditionalCheckFailed'
      ) {
        throw error;
      }
      await this.client.send(new DeleteCommand({ TableName: this.table, Key: oldKey }));
    }
    return true;
  }
}
