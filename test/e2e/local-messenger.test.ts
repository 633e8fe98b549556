// npm start with a messenger (Seoul): the local stand-in, which demo phones are users, and one outbox for both channels.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { MessengerUnreachableError } from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

interface Demo {
  accounts: Array<{
    accountNumber: string;
    phone: string;
    messengerUser: boolean;
    phones: Array<{ phone: string; messengerUser: boolean }>;
  }>;
}
interface Outbox {
  items: Array<{ channel: string; purpose: string; to: string; body: string; templateKey?: string }>;
}

let runtime: Runtime;
const read = async <T>(path: string) => (await (await fetch(`${runtime.url}${path}`)).json()) as T;

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('seoul-water'),
    clock: startingClock(new Date('2026-12-12T01:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName: `e2e-messenger-${Date.now()}` },
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('npm start with a messenger (Seoul)', () => {
  it('says at /_local/demo which demo phones get notices by messenger, and shows both kinds', async () => {
    const { accounts } = await read<Demo>('/_local/demo');
    for (const account of accounts) {
      expect(account.phones[0]?.phone).toBe(account.phone);
      expect(account.messengerUser).toBe(account.phones[0]?.messengerUser);
      for (const { phone, messengerUser } of account.phones) expect(messengerUser).toBe(!phone.endsWith('7'));
    }
    expect(accounts.map((a) => a.messengerUser)).toEqual([true, true, true, false]);
  });

  it('keeps messenger notices and SMS in one outbox, each entry with its channel and purpose', async () => {
    const { accounts } = await read<Demo>('/_local/demo');
    const [user, , , nonUser] = accounts;
    if (!user || !nonUser) throw new Error('the demo lacks an account');
    const notice = {
      to: user.phone,
      templateKey: 'bill-auto-pay',
      parameters: { amount: '41,230' },
      text: '12월 수도요금 41,230원은 12월 25일에 자동이체됩니다.',
      idempotencyKey: `notice-${user.accountNumber}-2026-12`,
    };

    await runtime.deps.messenger.send(notice);
    await expect(
      runtime.deps.messenger.send({ ...notice, to: nonUser.phone, idempotencyKey: 'notice-2' }),
    ).rejects.toBeInstanceOf(MessengerUnreachableError);
    const asked = await fetch(`${runtime.url}/auth/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountNumber: user.accountNumber, phone: user.phone }),
    });
    expect(asked.status).toBe(202);

    const both = await read<Outbox>(`/_local/outbox?to=${encodeURIComponent(user.phone)}`);
    expect(both.items.map((entry) => [entry.channel, entry.purpose])).toEqual([
      ['sms', 'otp'],
      ['messenger', 'notice'],
    ]);
    expect(both.items[1]).toMatchObject({ templateKey: 'bill-auto-pay', body: notice.text });
    const messenger = await read<Outbox>(
      `/_local/outbox?channel=messenger&to=${encodeURIComponent(user.phone)}`,
    );
    expect(messenger.items).toHaveLength(1);
    expect((await read<Outbox>(`/_local/outbox?to=${encodeURIComponent(nonUser.phone)}`)).items).toEqual([]);
  });

  it('refuses an unknown channel filter with a problem+json 400', async () => {
    const response = await fetch(`${runtime.url}/_local/outbox?channel=fax`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      errors: [{ field: 'query.channel', message: 'not "sms" or "messenger"' }],
    });
  });
});
