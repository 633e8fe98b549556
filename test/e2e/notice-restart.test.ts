// The store dies in the middle of the notice day: DynamoDB Local (with a data folder) is killed while the sender is
// sending, and started again on the same port and folder a little later. The queues retry, what outlived its
// retries is redriven with `ops redrive`, and then every subscriber has had the bill notice once and every notice is
// recorded once, counted from the outbox, the provider's send attempts and the records.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { noticeRunReport } from '#app/notice-report';
import type { SmsMessage, SmsSender } from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import { noticeId } from '#domain/notice';
import { noticeSendConsumer } from '#handlers/sqs/consumers';
import { type DynamoLocal, freePort, startDynamoLocal } from '../../bin/local/dynamo-local.ts';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';
import { type Recipient, seedRecipients } from '../support/notices.ts';

const PERIOD = '2026-12';
const RECIPIENTS = 400;
/** Everything below is bounded by this; the test's own timeout is a little longer. */
const HARD_LIMIT_MS = 300_000;

type Phase = 'before-kill' | 'store-down' | 'after-restart';

interface QueueView {
  name: string;
  depth: number | null;
  deadLetters: unknown[];
}

let dataDir: string;
let port: number;
let dynamo: DynamoLocal;
let runtime: Runtime;
let recipients: Recipient[];
let phase: Phase = 'before-kill';
/** Every SMS the sender handed to the provider, with the notice's idempotency key and when it happened. */
const attempts: Array<{ key: string; phase: Phase }> = [];
const started = Date.now();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds, failing the test (not hanging it) past the hard limit. */
async function until(what: string, check: () => boolean | Promise<boolean>, everyMs = 20): Promise<void> {
  while (!(await check())) {
    if (Date.now() - started > HARD_LIMIT_MS) throw new Error(`Gave up waiting: ${what}`);
    await sleep(everyMs);
  }
}

const noticesInOutbox = () => runtime.gateway.list().filter((m) => m.purpose === 'notice');
const queues = async () =>
  ((await (await fetch(`${runtime.url}/_local/queues`)).json()) as { items: QueueView[] }).items;
const settled = async () => (await queues()).every((q) => (q.depth ?? 0) === 0);
const deadLetters = async () => (await queues()).filter((q) => q.deadLetters.length > 0);

const ops = async (...args: string[]) => {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'bin/ops.ts', ...args],
      { encoding: 'utf8', timeout: 60_000 },
    );
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
  }
};

beforeAll(async () => {
  // A data folder outlives the process as on a disk; on /dev/shm (where there is one) its SQLite files are fast
  // enough for a test on a busy machine.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  dataDir = await mkdtemp(join(base, 'utilitydesk-notice-restart-'));
  port = await freePort();
  dynamo = await startDynamoLocal({ port, dataDir });
  runtime = await startRuntime({
    config: loadUtilityConfig('tyumen-power'),
    // 11:00 on the notice day in Tyumen: after the schedule's 10:00, so only the run started below runs.
    clock: startingClock(new Date('2026-12-12T06:00:00Z')),
    port: 0,
    dynamo: { endpoint: dynamo.endpoint, tableName: 'notice-restart' },
    demoAccounts: 3,
  });
  recipients = await seedRecipients(runtime.deps, { count: RECIPIENTS, period: PERIOD });
  // The provider's side of the wire: every notice the sender hands over, counted before the outbox answers it.
  const provider: SmsSender = runtime.deps.sms;
  runtime.deps.sms = {
    send: (message: SmsMessage) => {
      if (message.purpose === 'notice') attempts.push({ key: message.idempotencyKey ?? '', phase });
      return provider.send(message);
    },
  };
}, 180_000);

afterAll(async () => {
  await runtime?.stop();
  await dynamo?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('a bill-notice run with the store killed and restarted in the middle', () => {
  it(
    'ends with every subscriber notified once and every notice recorded once',
    async () => {
      const start = await fetch(`${runtime.url}/_local/notice-runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'bill', period: PERIOD }),
      });
      expect(start.status).toBe(202);

      // Killed while notices are going out: some sent, most not yet planned or sent.
      await until('the first notices are sent', () => noticesInOutbox().length >= RECIPIENTS / 4, 5);
      await dynamo.kill();
      phase = 'store-down';
      const sentWhenKilled = noticesInOutbox().length;

      // Down longer than the queues' retries: some notices (or planner pages) end in the dead letters.
      await until(
        'something is dead-lettered while the store is down',
        async () => (await deadLetters()).length > 0,
        100,
      );
      dynamo = await startDynamoLocal({ port, dataDir });
      phase = 'after-restart';
      await until('the queues have delivered everything', settled, 100);

      // The operator comes a few minutes later (long enough for a dead sender's claim to be taken over), sees the
      // dead-letter alarm, and redrives each queue that has dead letters, until none is left.
      const later = new Date(runtime.clock.now().getTime() + 5 * 60_000).toISOString();
      const moved = await fetch(`${runtime.url}/_local/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ now: later }),
      });
      expect(moved.status).toBe(200);
      const redriven: string[] = [];
      for (let round = 0; round < 3 && (await deadLetters()).length > 0; round++) {
        // The planner first: its pages queue notices that the sender then has.
        const names = (await deadLetters())
          .map((q) => q.name)
          .sort((x, y) => Number(y === 'notice-plan') - Number(x === 'notice-plan'));
        for (const name of names) {
          const cli = await ops('redrive', name, '--runtime', runtime.url, '--poll-ms', '100');
          redriven.push(`${name}: ${cli.stdout.trim()}`);
          await until('the redriven messages are delivered', settled, 100);
        }
      }
      console.info(
        `killed after ${sentWhenKilled} of ${RECIPIENTS} notices were sent; redriven:\n${redriven.join('\n')}`,
      );

      expect(redriven.length).toBeGreaterThan(0);
      expect(await deadLetters()).toEqual([]);

      // The outbox: each subscriber's phone once, each notice id once.
      const outbox = noticesInOutbox();
      const byPhone = new Map<string, number>();
      for (const m of outbox) byPhone.set(m.to, (byPhone.get(m.to) ?? 0) + 1);
      const ids = recipients.map(({ subscription }) =>
        noticeId({
          kind: 'bill',
          ref: PERIOD,
          accountNumber: subscription.accountNumber,
          phone: subscription.phone,
        }),
      );
      expect(outbox).toHaveLength(RECIPIENTS);
      expect(new Set(byPhone.keys())).toEqual(new Set(recipients.map((r) => r.subscription.phone)));
      expect([...byPhone.values()].filter((n) => n !== 1)).toEqual([]);
      expect(new Set(outbox.map((m) => m.channel === 'sms' && m.idempotencyKey))).toEqual(new Set(ids));

      // The provider's side: every notice handed over at least once; one handed over again only if its first
      // attempt fell before the store came back (sent, then not recorded when the store died), never after.
      const attemptsByKey = new Map<string, Phase[]>();
      for (const a of attempts) attemptsByKey.set(a.key, [...(attemptsByKey.get(a.key) ?? []), a.phase]);
      expect(new Set(attemptsByKey.keys())).toEqual(new Set(ids));
      const repeated = [...attemptsByKey].filter(([, phases]) => phases.length > 1);
      console.info(
        `send attempts: ${attempts.length} for ${RECIPIENTS} notices; repeated: ${repeated.length}`,
      );
      for (const [key, phases] of repeated) expect(phases[0], key).not.toBe('after-restart');
      // At most the notices in flight when it died: each sender's batch of ten, sent and not yet recorded.
      const inFlight = (noticeSendConsumer.maxConcurrency?.(runtime.deps.config) ?? 1) * 10;
      expect(repeated.length).toBeLessThanOrEqual(inFlight);

      // The records: each notice recorded once as sent, with the message id the outbox gave it (the first, for a
      // notice handed over again), and the run's counts add up.
      const outboxByKey = new Map(
        outbox.map((m) => [m.channel === 'sms' ? m.idempotencyKey : '', m.messageId]),
      );
      for (const id of ids) {
        expect(await runtime.deps.notices.get(id), id).toMatchObject({
          status: 'done',
          outcome: 'sent',
          channel: 'sms',
          providerMessageId: outboxByKey.get(id),
        });
      }
      const report = await noticeRunReport(runtime.deps, { kind: 'bill', period: PERIOD });
      const skipped = Object.values(report.counts.skipped).reduce((sum, n) => sum + (n ?? 0), 0);
      expect(report).toMatchObject({
        status: 'planned',
        pending: 0,
        counts: { planned: RECIPIENTS, sent: RECIPIENTS, byChannel: { sms: RECIPIENTS, messenger: 0 } },
      });
      expect(report.counts.planned).toBe(report.counts.sent + skipped);
    },
    HARD_LIMIT_MS + 30_000,
  );
});
