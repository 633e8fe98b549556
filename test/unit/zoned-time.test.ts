// Wall-clock times in the utility's zone, as both pages turn a datetime-local field into an instant and back:
// whatever zone the browser is in, 09:30 means 09:30 in Seoul or in Tyumen.
import { describe, expect, it } from 'vitest';
import { wallTime, zonedInstant } from '../../portal/src/shared/zoned-time.ts';

describe('a wall-clock time in a time zone', () => {
  it.each([
    ['Asia/Seoul', '2026-12-01T09:30', '2026-12-01T00:30:00.000Z'],
    ['Asia/Yekaterinburg', '2026-12-01T09:30', '2026-12-01T04:30:00.000Z'],
    // Just after midnight in Seoul is still the day before in UTC.
    ['Asia/Seoul', '2027-01-01T00:05', '2026-12-31T15:05:00.000Z'],
  ])('in %s, %s is the instant %s', (timeZone, wall, instant) => {
    // A resident in Seoul or Tyumen writes the time their own clock showed.
    expect(zonedInstant(wall, timeZone)).toBe(instant);
    expect(wallTime(new Date(instant), timeZone)).toBe(wall);
  });

  it('takes the offset in force on that day where the zone changes it through the year', () => {
    // A utility in a zone with summer time: noon in July and noon in January are an hour apart in UTC.
    expect(zonedInstant('2026-07-01T12:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(zonedInstant('2026-01-01T12:00', 'Europe/Berlin')).toBe('2026-01-01T11:00:00.000Z');
  });

  it('reads a time the change skips as summer time, and a time it repeats as the later of the two', () => {
    // 02:30 on the last Sunday of March never shows on a Berlin clock; 02:30 in late October shows twice.
    expect(zonedInstant('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(wallTime(new Date('2026-03-29T01:30:00.000Z'), 'Europe/Berlin')).toBe('2026-03-29T03:30');
    expect(zonedInstant('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T01:30:00.000Z');
  });

  it('reads seconds when the field gives them, and nothing from text that is no time', () => {
    // A browser that shows seconds sends them; a field left half-typed sends no instant at all.
    expect(zonedInstant('2026-12-01T09:30:15', 'Asia/Seoul')).toBe('2026-12-01T00:30:15.000Z');
    expect(zonedInstant('not a time', 'Asia/Seoul')).toBeUndefined();
  });
});
