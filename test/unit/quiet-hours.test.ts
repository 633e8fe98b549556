import { describe, expect, it } from 'vitest';
import { isQuiet, quietEnd } from '#domain/quiet-hours';

const SEOUL = 'Asia/Seoul';
const KOREAN = { start: '21:00', end: '08:00' };
/** A Seoul wall-clock time on 2026-12-14 (or the day given) as an instant. */
const seoul = (hhmm: string, day = '14') => new Date(`2026-12-${day}T${hhmm}:00+09:00`);

describe('quiet hours across midnight (21:00-08:00, Seoul)', () => {
  it.each([
    ['20:59', false],
    ['21:00', true],
    ['23:59', true],
    ['00:00', true],
    ['07:59', true],
    ['08:00', false],
    ['12:00', false],
  ])('at %s local: quiet %s', (hhmm, quiet) => {
    expect(isQuiet(seoul(hhmm), SEOUL, KOREAN)).toBe(quiet);
  });

  it('ends at 08:00 the next morning for a message at 22:30, and the same morning for one at 03:00', () => {
    expect(quietEnd(seoul('22:30'), SEOUL, KOREAN)).toEqual(seoul('08:00', '15'));
    expect(quietEnd(seoul('03:00'), SEOUL, KOREAN)).toEqual(seoul('08:00'));
  });

  it('is the instant itself outside the quiet hours', () => {
    expect(quietEnd(seoul('10:00'), SEOUL, KOREAN)).toEqual(seoul('10:00'));
  });

  it("follows the utility's zone, not the machine's: 21:30 in Yekaterinburg is 16:30 UTC", () => {
    expect(isQuiet(new Date('2026-12-14T16:30:00Z'), 'Asia/Yekaterinburg', KOREAN)).toBe(true);
    expect(isQuiet(new Date('2026-12-14T16:30:00Z'), SEOUL, KOREAN)).toBe(true);
    expect(isQuiet(new Date('2026-12-14T02:30:00Z'), 'Asia/Yekaterinburg', KOREAN)).toBe(true);
    expect(isQuiet(new Date('2026-12-14T03:00:00Z'), 'Asia/Yekaterinburg', KOREAN)).toBe(false);
  });

  it('quiet hours within one day (13:00-14:00) and none at all (equal start and end)', () => {
    expect(isQuiet(seoul('13:30'), SEOUL, { start: '13:00', end: '14:00' })).toBe(true);
    expect(isQuiet(seoul('14:00'), SEOUL, { start: '13:00', end: '14:00' })).toBe(false);
    expect(isQuiet(seoul('23:00'), SEOUL, { start: '00:00', end: '00:00' })).toBe(false);
  });
});
