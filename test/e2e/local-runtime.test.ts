import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startingClock } from '#adapters/clock';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';
import { createLocalServer, type LocalServerOptions } from '../../bin/local/server.ts';

interface Demo {
  utility: string;
  timeZone: string;
  now: string;
  smsNumber: string;
  accounts: Array<{
    accountNumber: string;
    phone: string;
    paymentMethod: string;
    meters: Array<{ id: string; kind: string; registers: string[] }>;
    messengerUser: boolean;
  }>;
}
interface Outbox {
  items: Array<{ to: string; body: string }>;
}
interface BillPage {
  items: Array<{ period: string; status: string }>;
}

let runtime: Runtime;
const read = async <T>(response: Response | Promise<Response>) => (await (await response).json()) as T;
const api = (path: string, init?: RequestInit) => fetch(`${runtime.url}${path}`, init);
const postJson = (path: string, body: unknown) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('tyumen-power'),
    clock: startingClock(new Date('2026-12-16T05:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName: `e2e-${Date.now()}` },
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('npm start: the local runtime', () => {
  it('seeds at least 200 accounts with a year of bills, some unpaid, overdue, auto-pay and two-tariff', async () => {
    expect(runtime.seeded?.accounts).toBeGreaterThanOrEqual(200);
    expect(runtime.seeded?.bills).toBeGreaterThanOrEqual(200 * 12);
  });

  it('describes itself at /_local/demo for scripts', async () => {
    const demo = await read<Demo>(api('/_local/demo'));
    expect(demo).toMatchObject({
      utility: 'tyumen-power',
      timeZone: 'Asia/Yekaterinburg',
      smsNumber: '+79037672060',
      now: expect.stringMatching(/^2026-12-16T10:00:/),
    });
    expect(demo.accounts).toHaveLength(3);
    for (const account of demo.accounts) {
      expect(account).toMatchObject({
        accountNumber: expect.stringMatching(/^\d{10}$/),
        phone: expect.stringMatching(/^\+79\d{9}$/),
        paymentMethod: expect.stringMatching(/^(auto-pay|giro)$/),
        // Tyumen has no messenger: every notice goes by SMS.
        messengerUser: false,
      });
    }
    const twoTariff = demo.accounts.flatMap((a) => a.meters).find((m) => m.kind === 'two-tariff');
    expect(twoTariff?.registers).toEqual(['day', 'night']);
  });

  it('walks the README flow: code by SMS -> token -> bills -> one bill', async () => {
    const { accounts } = await read<Demo>(api('/_local/demo'));
    const { accountNumber, phone } = accounts[1] ?? { accountNumber: '', phone: '' };
    expect((await postJson('/auth/otp', { accountNumber, phone })).status).toBe(202);

    const outbox = await read<Outbox>(api(`/_local/outbox?to=${encodeURIComponent(phone)}`));
    expect(outbox.items).toHaveLength(1);
    const code = outbox.items[0]?.body.match(/код подтверждения (\d{6})/)?.[1];
    expect(code).toMatch(/^\d{6}$/);

    const token = await read<{ tokenType: string; accessToken: string }>(
      postJson('/auth/token', { accountNumber, phone, code }),
    );
    expect(token.tokenType).toBe('Bearer');
    const auth = { authorization: `Bearer ${token.accessToken}` };

    const page = await read<BillPage>(api(`/accounts/${accountNumber}/bills?limit=3`, { headers: auth }));
    expect(page.items).toHaveLength(3);
    expect(page.items[0]?.period).toBe('2026-12');
    expect(page.items.some((b) => b.status === 'overdue')).toBe(true);

    const bill = await api(`/accounts/${accountNumber}/bills/${page.items[1]?.period}`, { headers: auth });
    expect(bill.status).toBe(200);
    expect(await bill.json()).toMatchObject({
      currency: 'RUB',
      accountNumber,
      contact: { phone: '8-800-250-00-00' },
    });
  });

  it('keeps outbound SMS newest first and filters them by recipient, in any phone format', async () => {
    const { accounts } = await read<Demo>(api('/_local/demo'));
    const first = accounts[0] ?? { accountNumber: '', phone: '' };
    await postJson('/auth/otp', { accountNumber: first.accountNumber, phone: first.phone });
    const all = await read<Outbox>(api('/_local/outbox'));
    expect(all.items[0]?.to).toBe(first.phone);
    const national = `8${first.phone.slice(2)}`;
    const filtered = await read<Outbox>(api(`/_local/outbox?to=${national}`));
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.every((m) => m.to === first.phone)).toBe(true);
  });

  it('accepts a simulated inbound SMS and refuses a malformed one', async () => {
    const accepted = await postJson('/_local/sms', {
      from: '+79123456789',
      to: '+79037672060',
      body: '1234567833 1234',
    });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({
      status: 'processed',
      receiveCount: 1,
      messageId: expect.any(String),
    });
    const inbox = await read<{ items: Array<{ body: string }> }>(api('/_local/inbox'));
    expect(inbox.items[0]?.body).toBe('1234567833 1234');
    const refused = await postJson('/_local/sms', { from: '+79123456789' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });

  it("shows at /_local/metrics the business events counted through the use cases' Metrics port", async () => {
    // What CloudWatch shows in AWS, a person trying things locally reads here; a probe value keeps it apart.
    runtime.deps.metrics.count('CodeRefused', { reason: 'e2e-probe' });
    runtime.deps.metrics.count('CodeRefused', { reason: 'e2e-probe' });

    const { items } = await read<{ items: unknown[] }>(api('/_local/metrics'));

    expect(items).toContainEqual({ event: 'CodeRefused', dimensions: { reason: 'e2e-probe' }, count: 2 });
  });

  it('answers unknown routes, oversized and malformed bodies with problem+json', async () => {
    const unknown = await api('/no/such/route');
    expect(unknown.status).toBe(404);
    expect((await read<{ type: string }>(unknown)).type).toBe('urn:utilitydesk:problem:route-not-found');
    const wrongMethod = await api('/auth/otp');
    expect(wrongMethod.status).toBe(404);
    const huge = await api('/auth/otp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    const malformed = await api('/auth/otp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(malformed.status).toBe(400);
  });

  // A request target that is no URL at all, such as an unclosed IPv6 literal (//[ or http://[::1), typed by hand
  // or sent by a scanner: the caller's mistake, a 400 like any malformed path, not a 500.
  it.each(['//[', 'http://[::1'])(
    'answers a request target that is no URL (%s) with 400 malformed-path',
    async (target) => {
      const response = await rawRequest(runtime.url, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body)).toMatchObject({
        type: 'urn:utilitydesk:problem:malformed-path',
        status: 400,
      });
    },
  );

  // A link cut off in the middle of an escaped character, or a hand-typed %zz: the caller's mistake, a 400.
  it.each(['/accounts/%E0%A4%A/bills', '/subscriptions/%zz'])(
    'answers a malformed percent-escape in the path (%s) with 400 malformed-path',
    async (path) => {
      const response = await api(path);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        type: 'urn:utilitydesk:problem:malformed-path',
        status: 400,
        instance: path,
      });
    },
  );
});

describe('npm start: only requests addressed to this machine', () => {
  // DNS rebinding: a web page the developer visits at attacker.example points that name at 127.0.0.1, and the
  // browser then lets the page's script read the answers, which include every gateway secret and each code sent.
  // The browser still names the attacker's host in Host, so the server answers only requests for its own names.
  const port = () => new URL(runtime.url).port;

  it.each([
    ['127.0.0.1 with the port', () => `127.0.0.1:${port()}`],
    ['127.0.0.1', () => '127.0.0.1'],
    ['localhost with the port', () => `localhost:${port()}`],
    ['localhost in capitals', () => 'LOCALHOST'],
    ['[::1] with the port', () => `[::1]:${port()}`],
    ['[::1]', () => '[::1]'],
  ])('answers a request for %s', async (_, name) => {
    const response = await rawRequest(runtime.url, `GET /_local/gateways HTTP/1.1\r\nHost: ${name()}\r\n`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ items: expect.any(Array) });
  });

  it.each([
    ['another name', () => 'attacker.example'],
    ['another name with our port', () => `attacker.example:${port()}`],
    ['a name that resolves to 127.0.0.1', () => '127.0.0.1.nip.io'],
    ['a name that starts with localhost', () => 'localhost.attacker.example'],
    ['another loopback address', () => '127.0.0.2'],
    ['an IPv6 address that is not [::1]', () => '[::2]'],
  ])('refuses %s in Host with 421 problem+json, and shows neither secrets nor codes', async (_, name) => {
    for (const path of ['/_local/gateways', '/_local/outbox', '/utility']) {
      const response = await rawRequest(runtime.url, `GET ${path} HTTP/1.1\r\nHost: ${name()}\r\n`);
      expect(response.status).toBe(421);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body)).toMatchObject({
        type: 'urn:utilitydesk:problem:host-not-local',
        status: 421,
      });
      expect(response.body).not.toMatch(/secret|items/);
    }
  });

  it('refuses a request without Host (HTTP/1.0) with 421', async () => {
    const response = await rawRequest(runtime.url, 'GET /_local/gateways HTTP/1.0\r\n');
    expect(response.status).toBe(421);
  });
});

describe('npm start: sign-up and STOP/START through the local SMS gateway', () => {
  it('signs up, shows the verification SMS in the outbox, and stops and resumes by SMS', async () => {
    const { accounts } = await read<Demo>(api('/_local/demo'));
    const { accountNumber, phone } = accounts[2] ?? { accountNumber: '', phone: '' };
    const started = await read<{ id: string; status: string }>(
      postJson('/subscriptions', {
        accountNumber,
        phone,
        channel: 'sms',
        language: 'ru',
        consentVersion: '2026-11',
      }),
    );
    expect(started.status).toBe('pending');
    const outbox = await read<Outbox>(api(`/_local/outbox?to=${encodeURIComponent(phone)}`));
    const code = outbox.items[0]?.body.match(/код для подписки на квитанции (\d{6})/)?.[1];
    const verified = await read<{
      subscription: { status: string; effectiveMonth: string };
      accessToken: string;
    }>(postJson(`/subscriptions/${started.id}/verify`, { code }));
    // 10:00 on 16 December in Yekaterinburg is after the 8th: notices start with January's bill.
    expect(verified.subscription).toMatchObject({ status: 'active', effectiveMonth: '2027-01' });
    const auth = { authorization: `Bearer ${verified.accessToken}` };

    const stop = await read<{ status: string }>(
      postJson('/_local/sms', { from: phone, to: '+79037672060', body: 'СТОП' }),
    );
    expect(stop.status).toBe('processed');
    const stopped = await read<{ status: string }>(api(`/subscriptions/${started.id}`, { headers: auth }));
    expect(stopped.status).toBe('opted-out');
    const replies = await read<Outbox>(api(`/_local/outbox?to=${encodeURIComponent(phone)}`));
    expect(replies.items[0]?.body).toMatch(/уведомления отключены/);

    await postJson('/_local/sms', { from: phone, to: '+79037672060', body: 'СТАРТ' });
    const resumed = await read<{ status: string }>(api(`/subscriptions/${started.id}`, { headers: auth }));
    expect(resumed.status).toBe('active');
    expect((await read<{ items: unknown[] }>(api('/_local/dlq'))).items).toEqual([]);
  });
});

describe('npm start: a reading by SMS with an e-mail address', () => {
  it('accepts it without a reply SMS and shows the confirmation at /_local/email', async () => {
    const { accounts } = await read<Demo>(api('/_local/demo'));
    const account = accounts.find((a) => a.meters.length === 1);
    if (!account) throw new Error('the demo has no single-meter account');
    const values = account.meters[0]?.registers.map(() => '4321') ?? [];
    const address = 'resident@mail.example';
    const before = (await read<Outbox>(api(`/_local/outbox?to=${encodeURIComponent(account.phone)}`))).items;
    const sent = await read<{ status: string }>(
      postJson('/_local/sms', {
        from: account.phone,
        to: '+79037672060',
        body: `${account.accountNumber} ${values.join(' ')} ${address}`,
      }),
    );
    expect(sent.status).toBe('processed');
    const after = (await read<Outbox>(api(`/_local/outbox?to=${encodeURIComponent(account.phone)}`))).items;
    expect(after).toHaveLength(before.length);
    const mail = await read<{ items: Array<{ to: string; subject: string; text: string }> }>(
      api(`/_local/email?to=${encodeURIComponent(address)}`),
    );
    expect(mail.items).toHaveLength(1);
    expect(mail.items[0]?.subject).toBe(
      `Показания приняты: лицевой счёт ${account.accountNumber}, декабрь 2026`,
    );
    expect(mail.items[0]?.text).toContain('4321 кВт·ч');
    expect((await read<{ items: unknown[] }>(api('/_local/email?to=nobody%40mail.example'))).items).toEqual(
      [],
    );
  });
});

/** Runs `npm start` with only node and the given fake programs on PATH. */
function startWithOnly(programs: Record<string, string>) {
  const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const [name, script] of Object.entries(programs)) {
    writeFileSync(join(bin, name), script, { mode: 0o755 });
  }
  return spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bin/local.ts', '--port', '0'], {
    env: { PATH: bin, HOME: process.env.HOME ?? '/tmp' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm start without Java', () => {
  it('fails with one clear sentence', () => {
    const result = startWithOnly({});
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^Java 17 or newer is needed to run DynamoDB Local: .*PATH\.$/);
  });

  // A machine with only a JRE (e.g. openjdk-17-jre-headless) cannot run the launcher that binds DynamoDB
  // Local to 127.0.0.1; starting it on every interface instead would expose the tables.
  it('with only a JRE, fails with one clear sentence instead of exposing DynamoDB Local', () => {
    const result = startWithOnly({
      java: '#!/bin/sh\nprintf "java.base@17.0.15\\njava.logging@17.0.15\\n"\n',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^DynamoDB Local is started bound to 127\.0\.0\.1 .* needs a JDK, .*PATH\.$/,
    );
  });
});

describe('npm start --data DIR', () => {
  it('keeps data and valid tokens across a restart, and seeds only the first time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'utilitydesk-data-'));
    const options = {
      config: loadUtilityConfig('seoul-water'),
      clock: startingClock(new Date('2026-12-16T01:00:00Z')),
      port: 0,
      dataDir: dir,
      demoAccounts: 20,
    };
    const first = await startRuntime(options);
    let token: string;
    let accountNumber: string;
    try {
      expect(first.seeded).toEqual({ accounts: 20, bills: expect.any(Number) });
      const demo = await read<Demo>(fetch(`${first.url}/_local/demo`));
      const account = demo.accounts[0] ?? { accountNumber: '', phone: '' };
      accountNumber = account.accountNumber;
      const post = (path: string, body: unknown) =>
        fetch(`${first.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      await post('/auth/otp', { accountNumber, phone: account.phone });
      // The code leaves through the outbound queue after the answer; the outbox tool waits for it.
      const outbox = await read<Outbox>(
        fetch(`${first.url}/_local/outbox?to=${encodeURIComponent(account.phone)}`),
      );
      const code = outbox.items[0]?.body.match(/\d{6}/)?.[0];
      token = (
        await read<{ accessToken: string }>(
          post('/auth/token', { accountNumber, phone: account.phone, code }),
        )
      ).accessToken;
    } finally {
      await first.stop();
    }
    const second = await startRuntime(options);
    try {
      expect(second.seeded).toBeUndefined();
      const bills = await fetch(`${second.url}/accounts/${accountNumber}/bills`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(bills.status).toBe(200);
      expect((await read<BillPage>(bills)).items.length).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  }, 120_000);
});

/**
 * One request written as given over its own connection (fetch would normalise the target and set Host itself),
 * `head` being the request line and headers without the blank line; the answer's status, headers and body.
 */
function rawRequest(
  url: string,
  head: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(`${head}Connection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const answer = Buffer.concat(chunks);
      const split = answer.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = answer.subarray(0, split).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      let body = answer.subarray(split + 4);
      if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        for (let rest = body; ; ) {
          const lineEnd = rest.indexOf('\r\n');
          const size = Number.parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
          if (!size) break;
          parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
          rest = rest.subarray(lineEnd + 2 + size + 2);
        }
        body = Buffer.concat(parts);
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') });
    });
  });
}

/** A local server over the running runtime's parts, with some of its tools replaced; closed after the test. */
async function serverWith(
  overrides: Partial<LocalServerOptions>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createLocalServer({
    routes: httpRoutes,
    notFound: notFoundRoute,
    deps: runtime.deps,
    gateway: runtime.gateway,
    emails: runtime.emails,
    demo: () => runtime.demo(),
    gateways: () => runtime.gateways(),
    onInboundSms: async () => ({ status: 'processed', receiveCount: 1 }),
    deadLetters: () => [],
    outboundSettled: async () => {},
    metrics: () => [],
    staffTokens: runtime.staffTokens,
    ...overrides,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('npm start: the local server never leaks an internal error', () => {
  // A local tool that fails (here: a data folder gone missing) must not hand its exception text, with paths
  // and internals, to whoever called it: a generic 500 problem, the details in the console.
  it('answers an unexpected failure with a generic 500 problem and logs the error instead', async () => {
    const failure = new Error(
      "ENOENT: no such file or directory, open '/home/ops/.data/seoul/signing-secret'",
    );
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const server = await serverWith({
      demo: () => {
        throw failure;
      },
    });
    try {
      const response = await fetch(`${server.url}/_local/demo`);
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ type: 'urn:utilitydesk:problem:internal-error', status: 500 });
      expect(text).not.toContain('ENOENT');
      expect(text).not.toContain('/home/ops');
      expect(logged).toHaveBeenCalledWith(expect.any(String), failure);
    } finally {
      logged.mockRestore();
      await server.close();
    }
  });
});

describe('npm start: /_local/inbox', () => {
  // A bench or a long session pushes thousands of simulated SMS: the inbox keeps the newest, like the outbox.
  it('keeps only the newest inbound SMS, newest first, up to its capacity', async () => {
    const server = await serverWith({ inboxCapacity: 3 });
    try {
      for (const n of [1, 2, 3, 4, 5]) {
        const sent = await fetch(`${server.url}/_local/sms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ from: '+79123456789', to: '+79037672060', body: `message ${n}` }),
        });
        expect(sent.status).toBe(202);
      }
      const inbox = await read<{ items: Array<{ body: string }> }>(fetch(`${server.url}/_local/inbox`));
      expect(inbox.items.map((m) => m.body)).toEqual(['message 5', 'message 4', 'message 3']);
    } finally {
      await server.close();
    }
  });
});

/** windows-1251 bytes of a text (Node decodes this charset but does not encode it). */
function windows1251(text: string): Buffer {
  const decoder = new TextDecoder('windows-1251');
  const byteOf = new Map(
    Array.from({ length: 256 }, (_, b) => [decoder.decode(Uint8Array.of(b)), b] as const),
  );
  return Buffer.from(
    Array.from(text, (c) => {
      const byte = byteOf.get(c);
      if (byte === undefined) throw new Error(`${c} has no windows-1251 byte`);
      return byte;
    }),
  );
}

describe('npm start: a domestic gateway webhook posting windows-1251', () => {
  // Russian SMS gateways often post their form in windows-1251, Cyrillic bytes unescaped, and sign those exact
  // bytes: the local server must hand the handler the body as sent (base64, as API Gateway does), or the
  // signature no longer matches and every message is refused with 401.
  it('verifies the signature over the bytes as sent and queues the message', async () => {
    const { items } = await read<{
      items: Array<{ id: string; url: string; header: string; prefix: string; secret: string }>;
    }>(api('/_local/gateways'));
    const gateway = items.find((g) => g.id === 'ru-aggregator');
    if (!gateway) throw new Error('tyumen-power has no ru-aggregator gateway');
    const body = Buffer.concat([
      Buffer.from('id=cp1251-1&phone=79123456780&short_number=79037672060&message='),
      windows1251('ПОМОЩЬ'),
      Buffer.from('&date=2026-12-16 10:00:00'),
    ]);
    const signature = createHmac('sha256', gateway.secret).update(body).digest('base64');
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=windows-1251',
        [gateway.header]: `${gateway.prefix}${signature}`,
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'queued', messageId: 'ru-aggregator:cp1251-1' });
  });
});

describe('npm start: staff tokens for the /admin/ routes', () => {
  // The README's staff walk-through: a token from the local issuer opens /admin/me; the server checks it before
  // the route runs, as API Gateway's JWT authorizer does in AWS.
  it('issues a token that opens GET /admin/me, and refuses the route without one', async () => {
    const issued = await postJson('/_local/staff-token', { role: 'staff', districts: ['kogalym'] });
    expect(issued.status).toBe(200);
    const { token } = await read<{ token: string }>(issued);

    const me = await api('/admin/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      roles: ['staff'],
      districts: ['kogalym'],
      visibleDistricts: ['kogalym'],
    });

    const anonymous = await api('/admin/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    expect(await read<{ type: string }>(anonymous)).toMatchObject({
      type: 'urn:utilitydesk:problem:staff-token-required',
    });
  });

  it('publishes the keys of its issuer and refuses a token request for an unknown district', async () => {
    const jwks = await read<{ keys: Array<{ kty: string; alg: string }> }>(
      api('/_local/staff-issuer/.well-known/jwks.json'),
    );
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256' })]);
    const refused = await postJson('/_local/staff-token', { role: 'staff', districts: ['11110'] });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });
});
