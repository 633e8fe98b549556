// Deps for integration tests: the real DynamoDB stores on a fresh table, a manual clock, the local SMS (and messenger) and e-mail outboxes.

import { ManualClock } from '#adapters/clock';
import { CountingMetrics } from '#adapters/local/counting-metrics';
import { LocalEmailOutbox } from '#adapters/local/outbox-email';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import type { Deps } from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import type { UtilityConfig } from '#config/schema';
import { createLocalDeps, localMessengerFor } from '../../bin/local/local-deps.ts';
import { createTestTable, type TestTable } from './dynamo.ts';

export interface TestWorld {
  deps: Deps;
  /** The business events the world's use cases counted. */
  metrics: CountingMetrics;
  clock: ManualClock;
  sms: LocalSmsGateway;
  email: LocalEmailOutbox;
  table: TestTable;
}

/** Every configured SMS gateway's secret in the test worlds, so tests can sign webhook bodies. */
export const TEST_GATEWAY_SECRET = 'a-test-gateway-secret-0123456789';

export async function testWorld(utility: 'seoul-water' | 'tyumen-power', now: Date): Promise<TestWorld> {
  const table = await createTestTable();
  const clock = new ManualClock(now);
  const sms = new LocalSmsGateway(clock);
  const email = new LocalEmailOutbox(clock);
  const metrics = new CountingMetrics();
  const deps = worldDeps(table, loadUtilityConfig(utility), { clock, sms, email, metrics });
  return { deps, metrics, clock, sms, email, table };
}

function worldDeps(
  table: TestTable,
  config: UtilityConfig,
  parts: Pick<TestWorld, 'clock' | 'sms' | 'email' | 'metrics'>,
): Deps {
  return createLocalDeps({
    client: table.client,
    tableName: table.tableName,
    config,
    ...parts,
    // Messenger messages land in the SMS outbox too, each entry marked with its channel.
    messenger: localMessengerFor(config, parts.sms.outbox),
    signingSecret: 'a-test-signing-secret-that-is-long-enough-0123456789',
    gatewaySecrets: Object.fromEntries(
      config.channels.sms.inboundGateways.map((g) => [g.id, TEST_GATEWAY_SECRET]),
    ),
  });
}

/**
 * Another function instance of the same deployment: every store built anew over the same table (nothing shared in
 * memory), with the world's clock, config and outboxes.
 */
export function anotherInstance(world: TestWorld): Deps {
  return worldDeps(world.table, world.deps.config, world);
}

/** The code in the newest SMS sent to a phone. */
export function lastCode(sms: LocalSmsGateway, phone: string): string {
  const message = sms.list(phone).find((entry) => entry.channel === 'sms');
  const code = message?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code was sent to ${phone}`);
  return code;
}
