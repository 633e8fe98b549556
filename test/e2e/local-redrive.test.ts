// npm start's queues over HTTP on 127.0.0.1: the SMS provider is down, a login code fails every delivery and lands
// in the sms-outbound dead letters; once it is back, `ops redrive sms-outbound --runtime` delivers it after all.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import type { SmsMessage, SmsSender } from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

/** A stand-in provider that can be down: every send then fails as a 503 would, and SQS retries it. */
class ProviderThatCanBeDown implements SmsSender {
  down = false;
  readonly sent: SmsMessage[] = [];

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    if (this.down) throw new Error('503 Service Unavailable');
    this.sent.push(message);
    return { messageId: `p-${this.sent.length}` };
  }
}

interface QueueView {
  name: string;
  kind: string;
  depth: number | null;
  deadLetters: Array<{ messageId: string; body: string; receiveCount: number }>;
}

let runtime: Runtime;
const provider = new ProviderThatCanBeDown();
const api = (path: string, init?: RequestInit) => fetch(`${runtime.url}${path}`, init);
const queues = async () => ((await (await api('/_local/queues')).json()) as { items: QueueView[] }).items;
const queue = async (name: string) => (await queues()).find((q) => q.name === name);
/** The ops CLI in a child process, awaited without blocking this process (the runtime answers it from here). */
const ops = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        'node_modules/tsx/dist/cli.mjs',
        'bin/ops.ts',
        'redrive',
        ...args,
        '--runtime',
        runtime.url,
        '--poll-ms',
        '50',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('seoul-water'),
    clock: startingClock(new Date('2026-12-05T00:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName: `e2e-redrive-${Date.now()}` },
    demoAccounts: 20,
    smsSender: provider,
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('npm start: dead letters and their redrive', () => {
  it('lists every queue by the name ops redrive takes, with its depth and dead letters', async () => {
    expect((await queues()).map((q) => [q.name, q.kind, q.depth, q.deadLetters.length])).toEqual([
      ['sms-inbound', 'consumer', 0, 0],
      ['sms-outbound', 'consumer', 0, 0],
      ['notice-plan', 'consumer', 0, 0],
      ['notice-send', 'consumer', 0, 0],
      ['billing', 'consumer', 0, 0],
      ['bill-sweep', 'consumer', 0, 0],
      ['bill-notices', 'schedule', null, 0],
      ['quiet-hours-end', 'schedule', null, 0],
      ['billing-run', 'schedule', null, 0],
      ['overdue-bills', 'schedule', null, 0],
      ['reading-window-opens', 'schedule', null, 0],
      ['due-reminders', 'schedule', null, 0],
      ['complaints-sla', 'schedule', null, 0],
    ]);
  });

  it('delivers a code that failed every delivery once the provider is back, and not twice', async () => {
    const [account] = (
      (await (await api('/_local/demo')).json()) as {
        accounts: Array<{ accountNumber: string; phone: string }>;
      }
    ).accounts;
    if (!account) throw new Error('the demo has accounts');
    provider.down = true;

    const asked = await api('/auth/otp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountNumber: account.accountNumber, phone: account.phone }),
    });
    expect(asked.status).toBe(202);
    // Three deliveries a moment apart, then the dead letters (bounded: the queue waits about a second in all).
    for (let i = 0; i < 100 && (await queue('sms-outbound'))?.deadLetters.length !== 1; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const dead = await queue('sms-outbound');
    expect(dead?.deadLetters).toEqual([expect.objectContaining({ receiveCount: 3 })]);

    const dryRun = await ops('sms-outbound', '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain(`The sms-outbound dead letters in ${runtime.url}: 1`);
    expect((await queue('sms-outbound'))?.deadLetters).toHaveLength(1);

    provider.down = false;
    const redriven = await ops('sms-outbound');

    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toContain(
      'Moved 1 dead letter(s) back onto the sms-outbound queue: 1 processed, 0 dead-lettered again.',
    );
    expect(provider.sent.map((m) => [m.to, m.purpose])).toEqual([[account.phone, 'otp']]);
    expect(await queue('sms-outbound')).toMatchObject({ depth: 0, deadLetters: [] });

    // A second redrive finds nothing, and sends nothing again.
    const again = await ops('sms-outbound');
    expect(again.stdout).toContain('Nothing to redrive.');
    expect(provider.sent).toHaveLength(1);
  }, 90_000);

  it('exits 2 when a redriven message fails again, which waits in the dead letters once more', async () => {
    provider.down = true;
    await api('/auth/otp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountNumber: '120100000', phone: '+821078019039' }),
    });
    for (let i = 0; i < 100 && (await queue('sms-outbound'))?.deadLetters.length !== 1; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));

    const redriven = await ops('sms-outbound');

    expect(redriven.code).toBe(2);
    expect(redriven.stdout).toContain('0 processed, 1 dead-lettered again.');
    expect((await queue('sms-outbound'))?.deadLetters).toHaveLength(1);
    provider.down = false;
  }, 90_000);

  it("refuses to move a schedule's failed firings, and says how to fire them again", async () => {
    const cli = await ops('bill-notices');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('"bill-notices" is a schedule\'s dead-letter queue');
    expect(cli.stderr).toContain('POST /_local/schedules/bill-notices/run');

    const refused = await api('/_local/queues/bill-notices/redrive', { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  }, 90_000);

  it('answers problem+json for a queue it does not have and for a wrong method', async () => {
    const unknown = await api('/_local/queues/nope/redrive', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toContain(
      'the queues are: sms-inbound, sms-outbound, notice-plan, notice-send, billing, bill-sweep, bill-notices, quiet-hours-end, billing-run, overdue-bills, reading-window-opens, due-reminders, complaints-sla',
    );
    const wrongMethod = await api('/_local/queues/sms-outbound/redrive');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});
