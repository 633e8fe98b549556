// The local runtime: DynamoDB Local, the table, demo data, local adapters, and the HTTP API, in one process.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createDocumentClient } from '#adapters/dynamo/client';
import { ensureTable } from '#adapters/dynamo/create-table';
import { LOCAL_TABLE_NAME } from '#adapters/dynamo/table-definition';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import type { Clock, Deps } from '#app/ports';
import type { UtilityConfig } from '#config/schema';
import { localDateTime } from '#domain/calendar';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { smsInboundConsumer } from '#handlers/sqs/consumers';
import { snsEnvelopeFor } from '#handlers/sqs/inbound-sms-event';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { generateDemoData } from './demo-data.ts';
import { type DynamoLocal, startDynamoLocal } from './dynamo-local.ts';
import { createLocalDeps } from './local-deps.ts';
import { LocalQueue } from './local-queue.ts';
import { createLocalServer } from './server.ts';

export interface RuntimeOptions {
  config: UtilityConfig;
  clock: Clock;
  port: number;
  host?: string;
  dataDir?: string;
  dynamoPort?: number;
  /** Use an already running DynamoDB Local (tests) instead of starting one. */
  dynamo?: { endpoint: string; tableName: string };
  demoAccounts?: number;
  print?: (line: string) => void;
}

export interface DemoAccountView {
  accountNumber: string;
  phone: string;
  meters: Array<{ id: string; kind: string; registers: string[] }>;
  paymentMethod: string;
}

export interface Runtime {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  deps: Deps;
  gateway: LocalSmsGateway;
  demo(): { utility: string; timeZone: string; now: string; smsNumber: string; accounts: DemoAccountView[] };
  seeded: { accounts: number; bills: number } | undefined;
  stop(): Promise<void>;
}

/** Tokens stay valid across restarts when data is kept; otherwise a fresh secret each run. */
function signingSecret(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(48).toString('base64url');
  const file = join(dataDir, 'signing-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, clock } = options;
  const print = options.print ?? (() => {});
  const dynamo: Pick<DynamoLocal, 'endpoint' | 'stop'> = options.dynamo
    ? { endpoint: options.dynamo.endpoint, stop: async () => {} }
    : await startDynamoLocal({
        ...(options.dynamoPort !== undefined ? { port: options.dynamoPort } : {}),
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      });
  const table = options.dynamo?.tableName ?? LOCAL_TABLE_NAME;
  try {
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const created = await ensureTable(client, table);
    const gateway = new LocalSmsGateway(clock, print);
    const deps = createLocalDeps({
      client,
      tableName: table,
      config,
      clock,
      sms: gateway,
      signingSecret: signingSecret(options.dataDir),
    });
    const data = generateDemoData(config, clock.now(), { accounts: options.demoAccounts ?? 240 });
    let seeded: Runtime['seeded'];
    if (created) {
      await deps.accounts.putMany(data.accounts);
      await deps.bills.putMany(data.bills);
      seeded = { accounts: data.accounts.length, bills: data.bills.length };
    }
    const demo = () => ({
      utility: config.id,
      timeZone: config.timeZone,
      now: localDateTime(clock.now(), config.timeZone),
      smsNumber: config.smsNumber,
      accounts: data.showcase.map((account) => ({
        accountNumber: account.accountNumber,
        phone: account.phones[0] ?? '',
        meters: account.meters.map((m) => ({ id: m.id, kind: m.kind, registers: m.registers })),
        paymentMethod: account.paymentMethod,
      })),
    });
    const getDeps = async () => deps;
    const inboundQueue = new LocalQueue(
      'utilitydesk-inbound-sms',
      (event) => runSqsBatch(smsInboundConsumer.handleRecord, event, getDeps),
      smsInboundConsumer.maxReceiveCount,
      () => clock.now(),
    );
    const server = createLocalServer({
      routes: httpRoutes,
      notFound: notFoundRoute,
      deps,
      gateway,
      demo,
      onInboundSms: (sms) =>
        inboundQueue.send(
          snsEnvelopeFor(sms, 'arn:aws:sns:local:000000000000:utilitydesk-inbound-sms', clock.now()),
        ),
      deadLetters: () => inboundQueue.deadLetters,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    return {
      url: `http://${address.address}:${address.port}`,
      dynamoEndpoint: dynamo.endpoint,
      tableName: table,
      deps,
      gateway,
      demo,
      seeded,
      stop: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}
