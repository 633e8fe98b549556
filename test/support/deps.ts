// Deps for integration tests: the real DynamoDB stores on a fresh table, a manual clock, the local SMS outbox.
import { loadUtilityConfig } from '#config/load';
import type { Deps } from '#app/ports';
import { deriveSigningKeys } from '#app/signing-keys';
import { ManualClock } from '#adapters/clock';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { DynamoOtpStore } from '#adapters/dynamo/otp-store';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { createTestTable, type TestTable } from './dynamo.ts';

export interface TestWorld {
  deps: Deps;
  clock: ManualClock;
  sms: LocalSmsGateway;
  table: TestTable;
}

export async function testWorld(utility: 'seoul-water' | 'tyumen-power', now: Date): Promise<TestWorld> {
  const table = await createTestTable();
  const clock = new ManualClock(now);
  const sms = new LocalSmsGateway(clock);
  const deps: Deps = {
    config: loadUtilityConfig(utility),
    clock,
    accounts: new DynamoAccountStore(table.client, table.tableName),
    bills: new DynamoBillStore(table.client, table.tableName),
    otps: new DynamoOtpStore(table.client, table.tableName),
    sms,
    keys: deriveSigningKeys('a-test-signing-secret-that-is-long-enough-0123456789'),
  };
  return { deps, clock, sms, table };
}

/** The code in the newest SMS sent to a phone. */
export function lastCode(sms: LocalSmsGateway, phone: string): string {
  const message = sms.list(phone)[0];
  const code = message?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code was sent to ${phone}`);
  return code;
}
