// The local outbox of both channels, and the local messenger that npm start and the tests use for AlimTalk.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { isLocalMessengerUser, LocalMessenger } from '#adapters/local/outbox-messenger';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { type MessengerMessage, MessengerProviderError, MessengerUnreachableError } from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import { localMessengerFor } from '../../bin/local/local-deps.ts';

const clock = () => new ManualClock(new Date('2026-12-12T01:00:00Z'));

const notice: MessengerMessage = {
  to: '+821078019039',
  templateKey: 'bill-auto-pay',
  parameters: { amount: '41,230' },
  text: '12월 수도요금 41,230원은 12월 25일에 자동이체됩니다.',
  idempotencyKey: 'notice-1',
};

describe('the local outbox', () => {
  it('marks every SMS with its channel and purpose', async () => {
    const sms = new LocalSmsGateway(clock());
    await sms.send({ to: '+821078019039', body: '인증번호 123456', purpose: 'otp' });
    expect(sms.list()).toEqual([
      expect.objectContaining({
        channel: 'sms',
        purpose: 'otp',
        body: '인증번호 123456',
        to: '+821078019039',
      }),
    ]);
  });

  // A provider that honours idempotency keys sends a retried notice once; the local one stands in for it.
  it('answers a repeated idempotency key with the first message id and keeps (and prints) one SMS', async () => {
    const printed: string[] = [];
    const sms = new LocalSmsGateway(clock(), (line) => printed.push(line));
    const message = {
      to: '+821078019039',
      body: '수도요금 안내',
      purpose: 'notice' as const,
      idempotencyKey: 'n-1',
    };

    const first = await sms.send(message);
    const again = await sms.send(message);

    expect(again).toEqual(first);
    expect(sms.list()).toHaveLength(1);
    expect(printed).toHaveLength(1);
  });

  it('sends every SMS without an idempotency key, even the same text twice', async () => {
    const sms = new LocalSmsGateway(clock());
    const message = { to: '+821078019039', body: '도움말', purpose: 'reply' as const };
    const first = await sms.send(message);
    const second = await sms.send(message);
    expect(second.messageId).not.toBe(first.messageId);
    expect(sms.list()).toHaveLength(2);
  });

  it('forgets the oldest keys with the oldest entries, so it stays bounded', async () => {
    const sms = new LocalSmsGateway(clock(), () => {}, 2);
    const send = (key: string) =>
      sms.send({ to: '+821078019039', body: key, purpose: 'notice', idempotencyKey: key });
    await send('a');
    await send('b');
    await send('c');
    expect(sms.list().map((entry) => entry.body)).toEqual(['c', 'b']);
    await send('a');
    expect(sms.list().map((entry) => entry.body)).toEqual(['a', 'c']);
  });
});

describe('the local messenger', () => {
  it('writes the template message beside the SMS, marked as a messenger notice with its template key', async () => {
    const sms = new LocalSmsGateway(clock());
    const messenger = new LocalMessenger(sms.outbox);

    const { messageId } = await messenger.send(notice);
    await sms.send({ to: notice.to, body: '인증번호 123456', purpose: 'otp' });

    expect(sms.list(notice.to)).toEqual([
      expect.objectContaining({ channel: 'sms', purpose: 'otp' }),
      {
        channel: 'messenger',
        to: notice.to,
        purpose: 'notice',
        templateKey: 'bill-auto-pay',
        parameters: { amount: '41,230' },
        body: notice.text,
        idempotencyKey: 'notice-1',
        messageId,
        sentAt: '2026-12-12T01:00:00.000Z',
      },
    ]);
  });

  it('treats every phone ending in 7 as no KakaoTalk user, and keeps nothing for it', async () => {
    const sms = new LocalSmsGateway(clock());
    const messenger = new LocalMessenger(sms.outbox);
    const error = await messenger.send({ ...notice, to: '+821085805917' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessengerUnreachableError);
    expect(error).toMatchObject({ code: '3019' });
    expect(sms.list()).toEqual([]);
    expect(['+821085805917', '+821078019039', '+79127109155'].map(isLocalMessengerUser)).toEqual([
      false,
      true,
      true,
    ]);
  });

  // A notice falls back from messenger to SMS under its one idempotency key: the SMS must still go out.
  it('keeps idempotency keys per channel: a retried notice is kept once, its SMS fallback still goes out', async () => {
    const sms = new LocalSmsGateway(clock());
    const messenger = new LocalMessenger(sms.outbox);
    const first = await messenger.send(notice);
    expect(await messenger.send(notice)).toEqual(first);
    await sms.send({
      to: notice.to,
      body: notice.text,
      purpose: 'notice',
      idempotencyKey: notice.idempotencyKey,
    });
    expect(sms.list().map((entry) => entry.channel)).toEqual(['sms', 'messenger']);
  });

  it('refuses a template key the utility’s profile does not map, as the provider would', async () => {
    const sms = new LocalSmsGateway(clock());
    const messenger = localMessengerFor(loadUtilityConfig('seoul-water'), sms.outbox);
    await expect(messenger.send({ ...notice, templateKey: 'bill-giro' })).resolves.toHaveProperty(
      'messageId',
    );
    const error = await messenger.send({ ...notice, templateKey: 'nonsense' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessengerProviderError);
    expect(error).toMatchObject({ code: 'unknown-template', retryable: false });
  });

  it('is none where the utility has no messenger: every phone gets its notices by SMS', async () => {
    const sms = new LocalSmsGateway(clock());
    const messenger = localMessengerFor(loadUtilityConfig('tyumen-power'), sms.outbox);
    const error = await messenger.send({ ...notice, to: '+79127109155' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessengerUnreachableError);
    expect(error).toMatchObject({ code: 'no-messenger' });
    expect(sms.list()).toEqual([]);
  });
});
