// The local runtime: DynamoDB Local, the table, demo data, local adapters, and the HTTP API, in one process.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '#adapters/dynamo/client';
import { ensureTable } from '#adapters/dynamo/create-table';
import { LOCAL_TABLE_NAME } from '#adapters/dynamo/table-definition';
import { CountingMetrics } from '#adapters/local/counting-metrics';
import { LocalAnnouncementTimer } from '#adapters/local/local-announcement-timer';
import { LocalBillSweepQueue } from '#adapters/local/local-bill-sweep-queue';
import { LocalBillingExchange } from '#adapters/local/local-billing-exchange';
import { LocalCarrier } from '#adapters/local/local-delivery-events';
import { LocalNoticeQueues } from '#adapters/local/local-notice-queues';
import { LocalPhotoBucket } from '#adapters/local/local-photo-bucket';
import { LocalEmailOutbox } from '#adapters/local/outbox-email';
import { isLocalMessengerUser } from '#adapters/local/outbox-messenger';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { issueOpen311Key } from '#app/open311-keys';
import type { Clock, Deps, SmsSender } from '#app/ports';
import type { UtilityConfig } from '#config/schema';
import { snsEnvelopeFor } from '#contracts/inbound-sms';
import { localDateTime } from '#domain/calendar';
import { open311KeyFrom } from '#domain/open311-key';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { schedules as scheduleEntries } from '#handlers/schedule/schedules';
import {
  billingRunConsumer,
  billSweepConsumer,
  noticePlanConsumer,
  noticeSendConsumer,
  smsDeliveryEventsConsumer,
  smsInboundConsumer,
  smsOutboundConsumer,
} from '#handlers/sqs/consumers';
import { PORTAL_DIST } from '#lib/portal-headers';
import { generateDemoData } from './demo-data.ts';
import { type DynamoLocal, startDynamoLocal } from './dynamo-local.ts';
import { MovableClock } from './local-clock.ts';
import {
  createLocalDeps,
  LOCAL_INBOUND_QUEUE_NAME,
  localBillingQueue,
  localConsumerQueue,
  localInboundQueue,
  localMessengerFor,
} from './local-deps.ts';
import { LocalQueues } from './local-queue-tool.ts';
import { LocalSchedules } from './local-schedules.ts';
import { createLocalServer } from './server.ts';
import { createLocalStaffIssuer, LOCAL_STAFF_ISSUER_PATH, type LocalStaffIssuer } from './staff-token.ts';

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
  /** Send SMS through this instead of the local outbox (tests: a stand-in for a slow provider). */
  smsSender?: SmsSender;
  /** The built portal served at / and /admin/ (default: portal/dist of this checkout). */
  portalDir?: string;
}

export interface DemoAccountView {
  accountNumber: string;
  phone: string;
  meters: Array<{ id: string; kind: string; registers: string[] }>;
  paymentMethod: string;
  /** Whether `phone` gets notices by messenger locally (false where the utility has no messenger). */
  messengerUser: boolean;
  /** Every registered phone of the account, and whether it gets notices by messenger locally. */
  phones: Array<{ phone: string; messengerUser: boolean }>;
}

/** What a person needs to sign a test request to a gateway webhook (GET /_local/gateways). */
export interface LocalGatewayView {
  id: string;
  url: string;
  format: 'json' | 'form';
  header: string;
  algorithm: 'hmac-sha256';
  encoding: 'hex' | 'base64';
  prefix: string;
  secret: string;
  fields: Record<string, string>;
}

export interface Runtime {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  deps: Deps;
  gateway: LocalSmsGateway;
  emails: LocalEmailOutbox;
  /** The business events counted so far (GET /_local/metrics). */
  metrics: CountingMetrics;
  /** The local staff user pool and JWT authorizer (POST /_local/staff-token). */
  staffTokens: LocalStaffIssuer;
  /** The runtime's one clock, shared by every handler, consumer and schedule; it moves only forward. */
  clock: MovableClock;
  /** The schedule table, fired by the clock, by name, or on the way when the clock is moved. */
  schedules: LocalSchedules;
  /** The folder standing in for the billing exchange bucket (readings/ out, bills/ in). */
  billingExchange: LocalBillingExchange;
  gateways(): LocalGatewayView[];
  demo(): {
    utility: string;
    timeZone: string;
    now: string;
    smsNumber: string;
    accounts: DemoAccountView[];
    /** An Open311 api_key the runtime issued for trying the /open311/v2 routes. */
    open311ApiKey: string;
  };
  seeded: { accounts: number; bills: number } | undefined;
  stop(): Promise<void>;
  /** The folder standing in for the complaint photo bucket (uploads/ unchecked, photos/ checked copies). */
  photoBucket: LocalPhotoBucket;
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
  const { config } = options;
  // Every local handler, consumer and schedule reads this clock; POST /_local/clock moves it forward.
  const clock = new MovableClock(options.clock);
  const print = options.print ?? (() => {});
  const dynamo: Pick<DynamoLocal, 'endpoint' | 'stop'> = options.dynamo
    ? { endpoint: options.dynamo.endpoint, stop: async () => {} }
    : await startDynamoLocal({
        port: options.dynamoPort,
        dataDir: options.dataDir,
      });
  const table = options.dynamo?.tableName ?? LOCAL_TABLE_NAME;
  try {
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const created = await ensureTable(client, table);
    const gateway = new LocalSmsGateway(clock, print);
    const emails = new LocalEmailOutbox(clock, print);
    // A fresh secret per gateway and run: GET /_local/gateways shows them so people can sign test requests.
    const gatewaySecrets = Object.fromEntries(
      config.channels.sms.inboundGateways.map((g) => [g.id, randomBytes(32).toString('base64url')]),
    );
    const metrics = new CountingMetrics();
    // Both inbound paths (POST /_local/sms and the gateway webhooks) share this queue and its dead letters.
    const inboundQueue = localInboundQueue(async () => deps, clock, metrics);
    // Codes, replies and confirmation e-mails leave through the outbound queue in the background, as in AWS: no
    // request waits for the sender.
    const outboundQueue = localConsumerQueue(smsOutboundConsumer, async () => deps, clock, metrics);
    // Notice runs: the planner's pages and the notices, each consumer as concurrent as in AWS.
    const noticePlanQueue = localConsumerQueue(noticePlanConsumer, async () => deps, clock, metrics, 4);
    const noticeSendQueue = localConsumerQueue(
      noticeSendConsumer,
      async () => deps,
      clock,
      metrics,
      noticeSendConsumer.maxConcurrency?.(config),
    );
    const noticeQueues = new LocalNoticeQueues({ plan: noticePlanQueue, send: noticeSendQueue });
    // Announcements at a set time: one-time timers in the schedule table below, as one-time schedules in AWS.
    const announcementTimer = new LocalAnnouncementTimer((body) => noticeQueues.sendToPlanner(body));
    // Delivery events: the local carrier answers each SMS the local gateway sent, once the senders are idle.
    const deliveryEventsQueue = localConsumerQueue(
      smsDeliveryEventsConsumer,
      async () => deps,
      clock,
      metrics,
    );
    const carrier = new LocalCarrier(deliveryEventsQueue, clock, async () => {
      await Promise.all([outboundQueue.idle(), noticeQueues.idle()]);
    });
    gateway.reportTo(carrier);
    // The billing run: pages of the account index, four at once.
    const billingQueue = localBillingQueue(async () => deps, clock, metrics);
    // The overdue sweep's pages, as the bill sweep queue feeds its consumer in AWS.
    const billSweepQueue = localConsumerQueue(billSweepConsumer, async () => deps, clock, metrics);
    // Under the data folder when data is kept, so exports and drops outlive a restart as the table does.
    const billingExchange = new LocalBillingExchange(
      options.dataDir
        ? join(options.dataDir, 'billing-exchange')
        : join(tmpdir(), `utilitydesk-exchange-${process.pid}`),
    );
    // Complaint photos: under the data folder when data is kept, like the exchange.
    const photoBucket = new LocalPhotoBucket(
      options.dataDir
        ? join(options.dataDir, 'complaint-photos')
        : join(tmpdir(), `utilitydesk-photos-${process.pid}`),
      clock,
    );
    const secret = signingSecret(options.dataDir);
    const deps = createLocalDeps({
      billingExchange,
      photoBucket,
      client,
      tableName: table,
      config,
      clock,
      sms: options.smsSender ?? gateway,
      email: emails,
      signingSecret: secret,
      gatewaySecrets,
      inboundQueue,
      outboundQueue: { queue: outboundQueue, background: true },
      metrics,
      noticeQueues,
      announcementTimer,
      deliveryEventsQueue,
      billingQueue,
      billSweepQueue: new LocalBillSweepQueue(billSweepQueue),
      // The same outbox as the SMS, so GET /_local/outbox shows a notice and its SMS fallback side by side.
      messenger: localMessengerFor(config, gateway.outbox, print),
    });
    const schedules = new LocalSchedules({
      entries: scheduleEntries,
      config,
      clock,
      getDeps: async () => deps,
      // What a firing queued is done before a replay moves the clock on.
      settled: async () => {
        // A finished billing run may plan bill notices: billed first, then the notices.
        await billingQueue.idle();
        await Promise.all([
          inboundQueue.idle(),
          outboundQueue.idle(),
          noticeQueues.idle(),
          billSweepQueue.idle(),
        ]);
        await carrier.idle();
        await deliveryEventsQueue.idle();
      },
      print,
      oneOffs: announcementTimer,
    });
    announcementTimer.onChange = () => schedules.rearm();
    const data = generateDemoData(config, clock.now(), { accounts: options.demoAccounts ?? 240 });
    let seeded: Runtime['seeded'];
    if (created) {
      await deps.accounts.putMany(data.accounts);
      await deps.bills.putMany(data.bills);
      seeded = { accounts: data.accounts.length, bills: data.bills.length };
    }
    // The demo Open311 key follows the signing secret: the same key across restarts with --data, a new one otherwise.
    const open311ApiKey = open311KeyFrom(createHmac('sha256', secret).update('open311-demo-key').digest());
    await issueOpen311Key(deps, 'Local demo partner', { id: 'local-demo', key: open311ApiKey });
    const hasMessenger = config.channels.messenger.provider !== 'none';
    const messengerUser = (phone: string) => hasMessenger && isLocalMessengerUser(phone);
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
        messengerUser: messengerUser(account.phones[0] ?? ''),
        district: account.district,
        phones: account.phones.map((phone) => ({ phone, messengerUser: messengerUser(phone) })),
      })),
      open311ApiKey,
    });
    let url = '';
    // A fresh key pair each run, as no staff token should outlive the runtime that issued it.
    const staffTokens = await createLocalStaffIssuer({
      config,
      clock,
      issuer: () => `${url}${LOCAL_STAFF_ISSUER_PATH}`,
    });
    const gateways = (): LocalGatewayView[] =>
      config.channels.sms.inboundGateways.map((g) => ({
        id: g.id,
        url: `${url}/sms/inbound/${g.id}`,
        format: g.format,
        header: g.signature.header,
        algorithm: g.signature.algorithm,
        encoding: g.signature.encoding,
        prefix: g.signature.prefix ?? '',
        secret: gatewaySecrets[g.id] ?? '',
        fields: { ...g.fields },
      }));
    const server = createLocalServer({
      routes: httpRoutes,
      notFound: notFoundRoute,
      deps,
      gateway,
      emails,
      demo,
      gateways,
      onInboundSms: (sms) =>
        inboundQueue.send(
          snsEnvelopeFor(sms, `arn:aws:sns:local:000000000000:${LOCAL_INBOUND_QUEUE_NAME}`, clock.now()),
        ),
      deadLetters: () => [
        ...inboundQueue.deadLetters,
        ...outboundQueue.deadLetters,
        ...noticePlanQueue.deadLetters,
        ...noticeSendQueue.deadLetters,
        ...deliveryEventsQueue.deadLetters,
        ...billSweepQueue.deadLetters,
        ...billingQueue.deadLetters,
        ...schedules.deadLetters,
      ],
      // The outbox tool waits for queued SMS and notices to be sent, so what was asked for just before is there.
      outboundSettled: async () => {
        await outboundQueue.idle();
        await noticeQueues.idle();
        await carrier.idle();
        await deliveryEventsQueue.idle();
      },
      metrics: () => metrics.list(),
      staffTokens,
      schedules,
      billingExchange,
      photoUploads: { bucket: photoBucket, print },
      portalDir: options.portalDir ?? PORTAL_DIST,
      // `ops redrive <queue> --runtime` reads and redrives these, as it does the deployment's queues in AWS.
      queues: new LocalQueues({
        consumers: new Map([
          [smsInboundConsumer.id, inboundQueue],
          [smsOutboundConsumer.id, outboundQueue],
          [noticePlanConsumer.id, noticePlanQueue],
          [noticeSendConsumer.id, noticeSendQueue],
          [billingRunConsumer.id, billingQueue],
          [billSweepConsumer.id, billSweepQueue],
        ]),
        scheduleDeadLetters: () => schedules.deadLetters,
      }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    url = `http://${address.address}:${address.port}`;
    // Upload forms and photo links name the server, whose port is known only now.
    photoBucket.baseUrl = url;
    return {
      url,
      dynamoEndpoint: dynamo.endpoint,
      tableName: table,
      deps,
      gateway,
      emails,
      metrics,
      staffTokens,
      clock,
      schedules,
      billingExchange,
      gateways,
      demo,
      seeded,
      photoBucket,
      stop: async () => {
        schedules.stop();
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
