// The billing cycle's notice texts (reading window, due reminder, leak check, auto-pay result) and the reminder day.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { reminderPeriodOn } from '#domain/due-reminder';
import { renderNotice } from '#domain/notice-text';
import { noticeContextFor } from '#domain/notice-text-context';
import { averageUsage, residentReadMeters } from '#domain/notice-text-cycle';
import { dueDateOf } from '#domain/tariff-due';
import { aBill, anAccount } from '#test/support/builders';

const seoulConfig = loadUtilityConfig('seoul-water');
const tyumenConfig = loadUtilityConfig('tyumen-power');
const seoul = noticeContextFor(seoulConfig);
const tyumen = noticeContextFor(tyumenConfig);

const tyumenAccount = anAccount({
  accountNumber: '1234567833',
  holderName: 'Иванова Елена',
  paymentMethod: 'auto-pay',
  virtualAccount: undefined,
  meters: [{ id: 'EM-1', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }],
});
const tyumenBill = aBill({
  accountNumber: '1234567833',
  currency: 'RUB',
  usage: { volume: 310, unit: 'kWh', registers: { day: 192, night: 118 }, estimated: false },
  charges: [{ code: 'energy-day', label: 'Электроэнергия', volume: 310, rate: 6.84, amount: 212_040 }],
  amountDue: 212_040,
  dueDate: '2026-12-10',
});

describe('the reading-window reminder', () => {
  it('tells a Tyumen resident the window, the number to text, and the format of a two-tariff reading', () => {
    // Tyumen residents read their own meters: on the 15th they are told to text day and night readings by the 25th.
    const { messenger, sms } = renderNotice(
      { kind: 'reading-window', account: tyumenAccount, period: '2026-12', subscription: { language: 'ru' } },
      tyumen,
    );
    expect(messenger.templateKey).toBe('reading-window');
    expect(messenger.text).toContain('15.12.2026 – 25.12.2026');
    expect(messenger.text).toContain('SMS на номер: +79037672060');
    expect(messenger.text).toContain('Формат: номер_счёта день ночь');
    expect(messenger.text).toContain('Пример: 1234567833 1234 567');
    expect(sms).toMatchObject({ variant: 'full', size: { encoding: 'UCS-2', parts: 6, fits: true } });
  });

  it('fits one Korean LMS, in EUC-KR, with a single-register example', () => {
    const { messenger, sms } = renderNotice(
      { kind: 'reading-window', account: anAccount(), period: '2026-12', subscription: { language: 'ko' } },
      seoul,
    );
    expect(messenger.text).toContain('▶ 예: 123456789 1234');
    expect(sms.size).toMatchObject({ encoding: 'EUC-KR', type: 'LMS', fits: true, unencodable: [] });
  });

  it('counts as self-read the meters the resident reads, by the meter or else the utility default', () => {
    // Seoul's meter readers read most meters; a meter marked resident-read is the exception.
    const account = anAccount({
      meters: [
        { id: 'WM-1', kind: 'single', unit: 'm3', registers: ['total'] },
        { id: 'WM-2', kind: 'single', unit: 'm3', registers: ['total'], readBy: 'resident' },
      ],
    });
    expect(residentReadMeters(account, seoulConfig.readings.readBy).map((m) => m.id)).toEqual(['WM-2']);
    expect(residentReadMeters(account, tyumenConfig.readings.readBy).map((m) => m.id)).toEqual([
      'WM-1',
      'WM-2',
    ]);
  });
});

describe('the leak check', () => {
  it("compares the bill's usage with the average of earlier actual readings and says how to check", () => {
    // 34 m3 against 20 and 23 m3 before: Seoul flags it and tells how to read the meter's star dial.
    const bill = aBill({
      usage: { volume: 34, unit: 'm3', registers: { total: 34 }, estimated: false },
      flags: ['leak-suspected'],
    });
    const earlier = [
      aBill({ usage: { volume: 20, unit: 'm3', registers: { total: 20 }, estimated: false } }),
      aBill({ usage: { volume: 23, unit: 'm3', registers: { total: 23 }, estimated: false } }),
      aBill({ usage: { volume: 90, unit: 'm3', registers: { total: 90 }, estimated: true } }),
    ];
    expect(averageUsage(earlier)).toBe(21.5);
    const { messenger, sms } = renderNotice(
      {
        kind: 'leak-check',
        account: anAccount(),
        bill,
        subscription: { language: 'ko' },
        averageVolume: averageUsage(earlier),
      },
      seoul,
    );
    expect(messenger.templateKey).toBe('leak-check');
    expect(messenger.text).toContain('사용량이 34㎥로 평소(평균 21.5㎥)보다');
    expect(messenger.text).toContain(`확인 방법: ${seoulConfig.readings.leakCheckText.ko}`);
    expect(sms.size).toMatchObject({ type: 'LMS', fits: true });
  });

  it('says the average is not known for an account with no earlier bill', () => {
    expect(averageUsage([])).toBeUndefined();
    const { messenger } = renderNotice(
      { kind: 'leak-check', account: tyumenAccount, bill: tyumenBill, subscription: { language: 'en' } },
      tyumen,
    );
    expect(messenger.text).toContain('far above your average of not known');
  });
});

describe('the due reminder and the auto-pay result', () => {
  it('words the reminder by payment method: withdrawn on for auto-pay, pay by for giro and failed auto-pay', () => {
    const input = { account: tyumenAccount, bill: tyumenBill, subscription: { language: 'en' } };
    const autoPay = renderNotice({ kind: 'due-reminder', ...input }, tyumen);
    const giro = renderNotice(
      { kind: 'due-reminder', ...input, account: { ...tyumenAccount, paymentMethod: 'giro' } },
      tyumen,
    );
    // The bank refused the withdrawal: the resident now has to pay by the due date like a giro payer.
    const failed = renderNotice(
      {
        kind: 'due-reminder',
        ...input,
        bill: { ...tyumenBill, autoPay: { status: 'not-withdrawn', at: '2026-12-05T03:00:00Z' } },
      },
      tyumen,
    );
    expect(autoPay.messenger.text).toContain('will be withdrawn by auto-pay on 10 December 2026');
    expect(giro.messenger.text).toContain('is due on 10 December 2026');
    expect(failed.messenger.templateKey).toBe('due-reminder-giro');
  });

  it("gives the bank's reason for a failed withdrawal and how to pay instead", () => {
    const { messenger, sms } = renderNotice(
      {
        kind: 'auto-pay-failed',
        account: anAccount({ paymentMethod: 'auto-pay' }),
        bill: aBill({ dueDate: '2026-11-30' }),
        subscription: { language: 'ko' },
        attemptedOn: '2026-11-23',
        reason: '잔액 부족',
      },
      seoul,
    );
    expect(messenger.text).toContain('▶ 사유: 잔액 부족');
    expect(messenger.text).toContain('▶ 납부방법: 가상계좌 우리은행 512345678901234');
    expect(sms.size).toMatchObject({ type: 'LMS', fits: true });
  });
});

describe('the day of the due reminder', () => {
  const rule = (config: typeof tyumenConfig) => config.billing;

  it('is three days before Tyumen’s due date, the 10th of the month after the period', () => {
    // The November bill is due on 10 December: its reminder goes on 7 December, and no other day.
    expect(reminderPeriodOn('2026-12-07', rule(tyumenConfig))).toBe('2026-11');
    expect(reminderPeriodOn('2026-12-08', rule(tyumenConfig))).toBeUndefined();
  });

  it('follows Seoul’s end-of-month due date, into February', () => {
    expect(reminderPeriodOn('2026-11-27', rule(seoulConfig))).toBe('2026-11');
    expect(reminderPeriodOn('2027-02-25', rule(seoulConfig))).toBe('2027-02');
    expect(reminderPeriodOn('2026-11-28', rule(seoulConfig))).toBeUndefined();
  });

  it('counts from the business day a Seoul due date moves to, even into the next month', () => {
    // February 2026's bills are due on 28 February, a Saturday; 1 March is a holiday and 2 March its substitute,
    // so they are due on Tuesday 3 March, and the reminder goes three days before, on 28 February.
    const dueOf = (period: string) => dueDateOf(seoulConfig, period);
    expect(dueOf('2026-02')).toBe('2026-03-03');
    expect(reminderPeriodOn('2026-02-28', rule(seoulConfig), dueOf)).toBe('2026-02');
    expect(reminderPeriodOn('2026-02-25', rule(seoulConfig), dueOf)).toBeUndefined();
  });

  it('skips months without bills where the utility names its billing months', () => {
    const odd = { ...rule(tyumenConfig), billingMonths: [1, 3, 5, 7, 9, 11] };
    expect(reminderPeriodOn('2026-12-07', odd)).toBe('2026-11');
    expect(reminderPeriodOn('2027-01-07', odd)).toBeUndefined();
  });
});
