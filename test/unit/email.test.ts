import 'aws-sdk-client-mock-vitest/extend';
import {
  BadRequestException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesEmail } from '#adapters/aws/ses-email';
import { ManualClock } from '#adapters/clock';
import { LocalEmailOutbox } from '#adapters/local/outbox-email';
import { noEmail } from '#adapters/none';
import { EmailRefusedError } from '#app/ports';
import { type ReadingEmailInput, readingConfirmationEmail } from '#domain/reading-email';

const ses = mockClient(SESv2Client);
beforeEach(() => ses.reset());

const seoul: ReadingEmailInput = {
  utilityName: '서울특별시 상수도사업본부',
  timeZone: 'Asia/Seoul',
  contactPhone: '120',
  accountNumber: '0123456789',
  period: '2026-12',
  values: [['total', 1234]],
  unit: 'm3',
  source: 'sms',
  // 00:30 on the 16th in Seoul is still the 15th in UTC.
  submittedAt: '2026-12-15T15:30:00.000Z',
};

describe('the reading confirmation e-mail', () => {
  it('is written in the utility’s language, with the local time of receipt and only the values sent', () => {
    const mail = readingConfirmationEmail('ko', seoul);
    expect(mail.subject).toBe('검침값 접수 확인: 고객번호 0123456789, 2026년 12월');
    expect(mail.text.split('\n')).toEqual([
      '서울특별시 상수도사업본부',
      '',
      '고객번호 0123456789의 검침값이 접수되었습니다.',
      '기간: 2026년 12월',
      '접수 시각: 2026년 12월 16일 00:30 (문자)',
      '검침값:',
      '  지침: 1234 ㎥',
      '',
      '직접 보내신 것이 아니면 120(으)로 연락해 주세요.',
      '이 메일은 자동으로 발송되었습니다. 회신하지 마세요.',
      '',
    ]);
  });

  it('names the registers and the unit in Russian and English, and carries the leak advice when flagged', () => {
    const input: ReadingEmailInput = {
      ...seoul,
      utilityName: 'Тюменская энергосбытовая компания',
      timeZone: 'Asia/Yekaterinburg',
      contactPhone: '8-800-250-00-00',
      values: [
        ['day', 1234],
        ['night', 187],
      ],
      unit: 'kWh',
      source: 'web',
      leakCheck: 'Проверьте, не течёт ли бойлер.',
    };
    const ru = readingConfirmationEmail('ru', input);
    expect(ru.subject).toBe('Показания приняты: лицевой счёт 0123456789, декабрь 2026');
    expect(ru.text).toContain('Получены: 15.12.2026 20:30 (сайт)');
    expect(ru.text).toContain('  день: 1234 кВт·ч\n  ночь: 187 кВт·ч\n\nПроверьте, не течёт ли бойлер.\n');
    const en = readingConfirmationEmail('en', input);
    expect(en.subject).toBe('Reading received: account 0123456789, December 2026');
    expect(en.text).toContain('  day: 1234 kWh\n  night: 187 kWh');
    // A language without texts falls back to English.
    expect(readingConfirmationEmail('de', input).subject).toBe(en.subject);
  });
});

describe('SES v2 adapter', () => {
  it('sends a plain-text UTF-8 SendEmail from the configured identity and configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'e-1' });
    const sender = new SesEmail(new SESv2Client({ region: 'ap-northeast-2' }), {
      from: 'readings@seoul-water.example',
      configurationSet: 'utilitydesk',
    });
    await expect(
      sender.send({ to: 'a@b.kr', subject: '제목', text: '본문', purpose: 'reading-confirmation' }),
    ).resolves.toEqual({ messageId: 'e-1' });
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'readings@seoul-water.example',
      Destination: { ToAddresses: ['a@b.kr'] },
      Content: {
        Simple: {
          Subject: { Data: '제목', Charset: 'UTF-8' },
          Body: { Text: { Data: '본문', Charset: 'UTF-8' } },
        },
      },
      EmailTags: [{ Name: 'purpose', Value: 'reading-confirmation' }],
      ConfigurationSetName: 'utilitydesk',
    });
  });

  it('leaves out the configuration set when none is configured, and fails without a message id', async () => {
    ses.on(SendEmailCommand).resolves({});
    const sender = new SesEmail(new SESv2Client({ region: 'ap-northeast-2' }), { from: 'r@x.example' });
    await expect(
      sender.send({ to: 'a@b.kr', subject: 's', text: 't', purpose: 'reading-confirmation' }),
    ).rejects.toThrow(/no message id/);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.ConfigurationSetName).toBeUndefined();
  });

  // SES refused a confirmation (MessageRejected): the outbound sender retried it into the dead-letter queue, where
  // an operator found a message that no retry could ever send. Such a refusal is for good; a throttle is not.
  it('reports a refusal of the message as EmailRefusedError, and throttling as it came, to be retried', async () => {
    const sender = new SesEmail(new SESv2Client({ region: 'ap-northeast-2' }), { from: 'r@x.example' });
    const mail = { to: 'a@b.kr', subject: 's', text: 't', purpose: 'reading-confirmation' as const };
    const metadata = { $metadata: {} };
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', ...metadata }));
    await expect(sender.send(mail)).rejects.toMatchObject({
      name: 'EmailRefusedError',
      reason: 'MessageRejected',
    });
    ses.on(SendEmailCommand).rejects(new BadRequestException({ message: 'Illegal address', ...metadata }));
    await expect(sender.send(mail)).rejects.toBeInstanceOf(EmailRefusedError);
    ses
      .on(SendEmailCommand)
      .rejects(new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', ...metadata }));
    const throttled = sender.send(mail);
    await expect(throttled).rejects.toBeInstanceOf(TooManyRequestsException);
    await expect(throttled).rejects.not.toBeInstanceOf(EmailRefusedError);
  });
});

describe('local and absent e-mail', () => {
  it('keeps local e-mails newest first, found by address in any letter case', async () => {
    const clock = new ManualClock(new Date('2026-12-16T05:00:00Z'));
    const printed: string[] = [];
    const outbox = new LocalEmailOutbox(clock, (line) => printed.push(line));
    await outbox.send({ to: 'Ivan@Mail.ru', subject: 'one', text: '1', purpose: 'reading-confirmation' });
    await outbox.send({ to: 'olga@mail.ru', subject: 'two', text: '2', purpose: 'reading-confirmation' });
    expect(outbox.list().map((m) => m.subject)).toEqual(['two', 'one']);
    expect(outbox.list('ivan@mail.ru')).toMatchObject([
      { subject: 'one', sentAt: '2026-12-16T05:00:00.000Z' },
    ]);
    expect(printed).toEqual([
      'E-mail -> Ivan@Mail.ru [reading-confirmation] one',
      'E-mail -> olga@mail.ru [reading-confirmation] two',
    ]);
  });

  it('refuses to send when the utility has no e-mail channel', async () => {
    await expect(
      noEmail.send({ to: 'a@b.c', subject: 's', text: 't', purpose: 'reading-confirmation' }),
    ).rejects.toThrow(/channels\.email\.provider is "none"/);
  });
});
