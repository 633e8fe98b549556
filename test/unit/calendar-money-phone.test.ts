import { describe, expect, it } from 'vitest';
import { maskName } from '#domain/account';
import { dueDateOf, localDate, parseInstant } from '#domain/calendar';
import { currencyExponent, formatMoney, toMinor } from '#domain/money';
import { addMonths, isPeriod } from '#domain/period';
import { maskPhone, toE164 } from '#domain/phone';

describe('calendar in the utility time zone', () => {
  it('takes the local date, not the UTC one', () => {
    // 2026-12-08 15:00 UTC is already the 9th in Seoul, still the 8th in Yekaterinburg (UTC+5).
    const instant = new Date('2026-12-08T15:00:00Z');
    expect(localDate(instant, 'Asia/Seoul')).toBe('2026-12-09');
    expect(localDate(instant, 'Asia/Yekaterinburg')).toBe('2026-12-08');
  });

  it('reads --now as local time of the utility, or as an instant with an offset', () => {
    expect(parseInstant('2026-12-16T10:00', 'Asia/Seoul')?.toISOString()).toBe('2026-12-16T01:00:00.000Z');
    expect(parseInstant('2026-12-16T10:00', 'Asia/Yekaterinburg')?.toISOString()).toBe(
      '2026-12-16T05:00:00.000Z',
    );
    expect(parseInstant('2026-12-16T10:00:00Z', 'Asia/Seoul')?.toISOString()).toBe(
      '2026-12-16T10:00:00.000Z',
    );
    expect(parseInstant('2026-12-16T10:00+03:00', 'Asia/Seoul')?.toISOString()).toBe(
      '2026-12-16T07:00:00.000Z',
    );
    expect(parseInstant('16.12.2026', 'Asia/Seoul')).toBeUndefined();
  });

  it('puts the due date at the end of the billing month or on a day of a later one', () => {
    expect(dueDateOf('2026-02', { monthOffset: 0, day: 'end-of-month' })).toBe('2026-02-28');
    expect(dueDateOf('2028-02', { monthOffset: 0, day: 'end-of-month' })).toBe('2028-02-29');
    expect(dueDateOf('2026-12', { monthOffset: 1, day: 10 })).toBe('2027-01-10');
  });

  it('moves periods across year ends', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-05', -12)).toBe('2025-05');
    expect(isPeriod('2026-13')).toBe(false);
    expect(isPeriod('2026-1')).toBe(false);
  });
});

describe('money in minor units', () => {
  it('knows KRW has no minor unit and RUB has kopecks', () => {
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('RUB')).toBe(2);
    expect(toMinor(5.66 * 3, 'RUB')).toBe(1698);
    expect(toMinor(1150.5, 'KRW')).toBe(1151);
  });

  it('formats for the utility locale', () => {
    expect(formatMoney(71358, 'KRW', 'ko-KR')).toBe('₩71,358');
    expect(formatMoney(123456, 'RUB', 'ru-RU').replace(/\s/g, ' ')).toBe('1 234,56 ₽');
  });
});

describe('phones and names', () => {
  it('reads national and international forms into E.164', () => {
    expect(toE164('010-1234-5678', 'KR')).toBe('+821012345678');
    expect(toE164('+82 10 1234 5678', 'KR')).toBe('+821012345678');
    expect(toE164('8 (912) 345-67-89', 'RU')).toBe('+79123456789');
    expect(toE164('12345', 'KR')).toBeUndefined();
    expect(toE164('not a phone', 'RU')).toBeUndefined();
  });

  it('masks the middle of a phone and of each name', () => {
    expect(maskPhone('+821012345678')).toBe('+82 10 **** 5678');
    expect(maskName('김철수')).toBe('김*수');
    expect(maskName('Иванов Иван')).toBe('И****в И**н');
    expect(maskName('이 수')).toBe('이 수');
  });
});
