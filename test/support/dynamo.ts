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

/** Every store port's DynamoDB adapter on one table (the stores alone; test/support/deps.ts builds whole Deps). */
export function dynamoStores({ client, tableName }: TestTable): Stores {
  return {
    accounts: new DynamoAccountStore(client, tableName),
    bills: new DynamoBillStore(client, tableName),
    readings: new DynamoReadingStore(client, tableName),
    inbound: new DynamoInboundLog(client, tableName),
    optOuts: new DynamoOptOutStore(client, tableName),
    counters: new DynamoCounterStore(client, tableName),
    otps: new DynamoOtpStore(client, tableName),
    subscriptions: new DynamoSubscriptionStore(client, tableName),
    outbox: new DynamoOutboxStore(client, tableName),
  };
}
