// Each test file gets its own freshly created table on the run's one DynamoDB Local.
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoCounterStore } from '#adapters/dynamo/counter-store';
import { ensureTable } from '#adapters/dynamo/create-table';
import { DynamoInboundLog } from '#adapters/dynamo/inbound-log';
import { DynamoOptOutStore } from '#adapters/dynamo/opt-out-store';
import { DynamoOtpStore } from '#adapters/dynamo/otp-store';
import { DynamoOutboxStore } from '#adapters/dynamo/outbox-store';
import { DynamoReadingStore } from '#adapters/dynamo/reading-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import type { Stores } from './memory-stores.ts';

export interface TestTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
}

export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  if (!endpoint)
    throw new Error('DynamoDB Local is not running: run integration tests through vitest projects.');
  const client = createDocumentClient({ endpoint });
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { client, tableName, endpoint };
}

/** One call a client made to DynamoDB: the operation (Query, TransactWriteItems...) and what it asked. */
export interface DynamoCall {
  operation: string;
  input: Record<string, unknown>;
}

/**
 * Records every call the client makes from now on, with a middleware on its stack as bench/dynamo-calls.ts counts
 * them: a test can pin what a use case costs in round trips and how it asks.
 */
export function recordDynamoCalls(client: DynamoDBDocumentClient): DynamoCall[] {
  const calls: DynamoCall[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({
        operation: String(context.commandName).replace(/Command$/, ''),
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'initialize', name: 'recordDynamoCalls' },
  );
  return calls;
}

/** Every store port's DynamoDB adapter on one table (the stores alone; test/support/deps.ts builds whole Deps). */
export function dynamoStores({ client, tableName }: TestTable): Stores {
  return {
    accounts: new DynamoAccountStore(client, tableName),
    // The demo utilities' fan-out (16 shards): the unpaid-bills index as a deployment writes it.
    bills: new DynamoBillStore(client, tableName, 16),
    readings: new DynamoReadingStore(client, tableName),
    inbound: new DynamoInboundLog(client, tableName),
    optOuts: new DynamoOptOutStore(client, tableName),
    counters: new DynamoCounterStore(client, tableName),
    otps: new DynamoOtpStore(client, tableName),
    subscriptions: new DynamoSubscriptionStore(client, tableName),
    outbox: new DynamoOutboxStore(client, tableName),
  };
}
