import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { parseSmsCommand, type SmsGrammar } from '#domain/sms-command';

const tyumen: SmsGrammar = loadUtilityConfig('tyumen-power').readings;
const seoul: SmsGrammar = loadUtilityConfig('seoul-water').readings;
const hash: SmsGrammar = { separators: [' ', '#'], fractions: 'truncate' };
const star: SmsGrammar = { separators: ['*'], fractions: 'reject' };
const strict: SmsGrammar = { separators: [' '], fractions: 'reject' };

describe('keywords, in every language and English', () => {
  it('read STOP and START in any case, with spaces, punctuation and full-width letters', () => {
    for (const body of ['STOP', 'stop', ' Stop. ', 'СТОП', 'стоп', '중지', 'ＳＴＯＰ', 'UNSUBSCRIBE']) {
      expect(parseSmsCommand(body, tyumen).kind, body).toBe('stop');
    }
    for (const body of ['START', 'start!', 'СТАРТ', 'Старт', '시작', 'ｓｔａｒｔ']) {
      expect(parseSmsCommand(body, tyumen).kind, body).toBe('start');
    }
  });

  it('read HELP and BILL, BILL with an optional account', () => {
    for (const body of ['HELP', 'помощь', '도움', '?'])
      expect(parseSmsCommand(body, seoul).kind, body).toBe('help');
    expect(parseSmsCommand('СЧЁТ', tyumen)).toEqual({ kind: 'bill', keyword: 'СЧЁТ' });
    expect(parseSmsCommand('счет 1234567833', tyumen)).toEqual({
      kind: 'bill',
      keyword: 'счет',
      accountNumber: '1234567833',
    });
    expect(parseSmsCommand('요금 #123456789', seoul)).toMatchObject({
      kind: 'bill',
      accountNumber: '123456789',
    });
  });

  it('refuse a keyword followed by something else rather than guess', () => {
    expect(parseSmsCommand('stop it please', tyumen)).toMatchObject({ kind: 'invalid', problem: 'format' });
    expect(parseSmsCommand('help 123', tyumen)).toMatchObject({ kind: 'invalid' });
  });

  it('call blank text empty', () => {
    expect(parseSmsCommand('  \n\t ', tyumen)).toEqual({ kind: 'empty' });
  });
});

describe('readings (Tyumen: account, then day and night, space-separated)', () => {
  it('reads a single-tariff and a two-tariff message', () => {
    expect(parseSmsCommand('1234567833 1234', tyumen)).toEqual({
      kind: 'reading',
      accountNumber: '1234567833',
      readings: [1234],
    });
    expect(parseSmsCommand('1234567833 1234 187', tyumen)).toEqual({
      kind: 'reading',
      accountNumber: '1234567833',
      readings: [1234, 187],
    });
  });

  it('takes the digits before the decimal point, with a comma or a point', () => {
    expect(parseSmsCommand('1234567833 1234,5', tyumen)).toMatchObject({ readings: [1234] });
    expect(parseSmsCommand('1234567833 1234.9 187,99', tyumen)).toMatchObject({ readings: [1234, 187] });
  });

  it('refuses fractions where the utility says so', () => {
    expect(parseSmsCommand('1234567833 1234,5', strict)).toMatchObject({
      kind: 'invalid',
      problem: 'fraction',
    });
    expect(parseSmsCommand('1234567833 1234', strict)).toMatchObject({ kind: 'reading' });
  });

  it('accepts an e-mail address after the readings, for the confirmation', () => {
    expect(parseSmsCommand('1234567833 1234 187 ivanov@mail.ru', tyumen)).toEqual({
      kind: 'reading',
      accountNumber: '1234567833',
      readings: [1234, 187],
      email: 'ivanov@mail.ru',
    });
    expect(parseSmsCommand('1234567833 1234 ivanov@', tyumen)).toMatchObject({
      kind: 'invalid',
      problem: 'email',
    });
  });

  it('tolerates extra spaces, tabs, newlines, a leading +, #, N or №, and full-width digits', () => {
    const expected = { kind: 'reading', accountNumber: '1234567833', readings: [1234, 187] };
    for (const body of [
      '  1234567833   1234\t187 ',
      '1234567833\n1234\n187',
      '+1234567833 1234 187',
      '#1234567833 1234 187',
      'N1234567833 1234 187',
      'n 1234567833 1234 187',
      '№1234567833 1234 187',
      '１２３４５６７８３３　１２３４　１８７',
    ]) {
      expect(parseSmsCommand(body, tyumen), JSON.stringify(body)).toEqual(expected);
    }
  });

  it('refuses what is not the format', () => {
    for (const body of [
      '1234567833',
      'привет',
      '1234567833 12a4',
      '1234567833 1234 187 55 66',
      'ЛС1234567833 1234',
      '1234567833#1234',
      '1234567833 -5',
      '1234567833 1234567890123',
    ]) {
      expect(parseSmsCommand(body, tyumen), body).toMatchObject({ kind: 'invalid', problem: 'format' });
    }
  });
});

describe('other suppliers’ grammars, as configuration', () => {
  it('reads # separators (ЛС#День#Ночь, three-tariff ЛС#Пик#Ночь#Полупик)', () => {
    expect(parseSmsCommand('1234567833#1234#187', hash)).toMatchObject({ readings: [1234, 187] });
    expect(parseSmsCommand('1234567833 # 10 # 20 # 30', hash)).toMatchObject({ readings: [10, 20, 30] });
  });

  it('reads * separators (Krasnoyarsk: 12-digit account * reading) and refuses fractions there', () => {
    expect(parseSmsCommand('100000000000*54678', star)).toEqual({
      kind: 'reading',
      accountNumber: '100000000000',
      readings: [54678],
    });
    expect(parseSmsCommand('100000000000*54678,5', star)).toMatchObject({ problem: 'fraction' });
  });

  it('reads a Seoul water reading in m3 with a Korean full-width space', () => {
    expect(parseSmsCommand('123456789　0412', seoul)).toMatchObject({
      accountNumber: '123456789',
      readings: [412],
    });
  });
});

describe('the parser under random and mutated input', () => {
  const kinds = new Set(['empty', 'stop', 'start', 'help', 'bill', 'reading', 'invalid']);

  it('never throws and always says what the message is (100,000 messages)', () => {
    const alphabet = fc.constantFrom(
      ...'0123456789 ,.#*+N№@\t\n-_aZяЖ한글１２ＳＴＯＰ'.split(''),
      'stop',
      'СТОП',
      '중지',
      '1234567833',
      '@mail.ru',
    );
    const messages = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
    );
    for (const grammar of [tyumen, hash, star, strict]) {
      fc.assert(
        fc.property(messages, (body) => {
          const result = parseSmsCommand(body, grammar);
          expect(kinds.has(result.kind)).toBe(true);
          if (result.kind === 'reading') {
            expect(result.readings.length).toBeGreaterThanOrEqual(1);
            expect(result.readings.length).toBeLessThanOrEqual(3);
            for (const r of result.readings) expect(Number.isSafeInteger(r) && r >= 0).toBe(true);
            expect(result.accountNumber).toMatch(/^\d+$/);
          }
        }),
        { numRuns: 25_000 },
      );
    }
  }, 120_000);

  it('reads back any well-formed message, however it is spaced', () => {
    const message = fc.record({
      account: fc.stringMatching(/^\d{6,12}$/),
      readings: fc.array(fc.nat({ max: 999_999 }), { minLength: 1, maxLength: 3 }),
      fraction: fc.option(fc.stringMatching(/^\d{1,3}$/), { nil: undefined }),
      gaps: fc.array(fc.constantFrom(' ', '  ', '\t', '\n', ' # ', '#'), { minLength: 4, maxLength: 4 }),
      prefix: fc.constantFrom('', '+', '#', 'N', '№'),
    });
    fc.assert(
      fc.property(message, ({ account, readings, fraction, gaps, prefix }) => {
        const parts = readings.map((r, i) => (i === 0 && fraction ? `${r},${fraction}` : String(r)));
        const body = `${prefix}${account}${parts.map((p, i) => `${gaps[i]}${p}`).join('')}`;
        expect(parseSmsCommand(body, hash)).toEqual({ kind: 'reading', accountNumber: account, readings });
      }),
      { numRuns: 5_000 },
    );
  });
});
