// When a schedule fires: cron fields in the utility's time zone, as EventBridge Scheduler evaluates them.
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { atLocalTime, cronExpression, firingsBetween, nextFiring } from '#domain/schedule';

const iso = (date: Date | undefined) => date?.toISOString();
const noticeDay = { minute: '0', hour: '10', day: '12' };

describe('a schedule expression', () => {
  it('is what EventBridge Scheduler is given: six fields, "?" for the open day field, every year', () => {
    expect(cronExpression(noticeDay)).toBe('cron(0 10 12 * ? *)');
    expect(cronExpression({ ...noticeDay, month: '1,3,5,7,9,11' })).toBe('cron(0 10 12 1,3,5,7,9,11 ? *)');
    expect(cronExpression({ minute: '30', hour: '8', weekDay: 'MON-FRI' })).toBe('cron(30 8 ? * MON-FRI *)');
  });

  it('gives the day of the month or the day of the week, never both (EventBridge refuses both)', () => {
    expect(() => cronExpression({ ...noticeDay, weekDay: '2' })).toThrow(/not both/);
    expect(() => nextFiring({ ...noticeDay, weekDay: '2' }, 'Asia/Seoul', new Date())).toThrow(/not both/);
  });

  it('reads a configured local time as its hour and minute', () => {
    expect(atLocalTime('10:00')).toEqual({ hour: '10', minute: '0' });
    expect(atLocalTime('07:45')).toEqual({ hour: '7', minute: '45' });
    expect(() => atLocalTime('24:00')).toThrow(/HH:mm/);
    expect(() => atLocalTime('9:00')).toThrow(/HH:mm/);
  });
});

describe('the next firing', () => {
  it('is 10:00 Seoul time (UTC+9, no daylight saving) on the 12th', () => {
    // 2026-12-11 23:00 UTC is already the 12th in Seoul, an hour before the firing.
    expect(iso(nextFiring(noticeDay, 'Asia/Seoul', new Date('2026-12-11T23:00:00Z')))).toBe(
      '2026-12-12T01:00:00.000Z',
    );
    expect(iso(nextFiring(noticeDay, 'Asia/Yekaterinburg', new Date('2026-12-11T23:00:00Z')))).toBe(
      '2026-12-12T05:00:00.000Z',
    );
  });

  it('is strictly after the instant: a firing exactly then has happened, the next is a month on', () => {
    expect(iso(nextFiring(noticeDay, 'Asia/Seoul', new Date('2026-12-12T01:00:00Z')))).toBe(
      '2027-01-12T01:00:00.000Z',
    );
    expect(iso(nextFiring(noticeDay, 'Asia/Seoul', new Date('2026-12-12T00:59:59.999Z')))).toBe(
      '2026-12-12T01:00:00.000Z',
    );
  });

  it('is in a listed month only (a utility billing every two months)', () => {
    const oddMonths = { ...noticeDay, month: '1,3,5,7,9,11' };
    expect(
      firingsBetween(
        oddMonths,
        'Asia/Yekaterinburg',
        new Date('2026-10-01T00:00:00Z'),
        new Date('2027-04-01T00:00:00Z'),
        10,
      ).map(iso),
    ).toEqual(['2026-11-12T05:00:00.000Z', '2027-01-12T05:00:00.000Z', '2027-03-12T05:00:00.000Z']);
  });

  it('counts days of the week from Sunday = 1, as EventBridge does (2 is Monday)', () => {
    // 2026-12-07 is a Monday.
    expect(
      iso(
        nextFiring({ minute: '0', hour: '9', weekDay: '2' }, 'Asia/Seoul', new Date('2026-12-03T00:00:00Z')),
      ),
    ).toBe('2026-12-07T00:00:00.000Z');
    expect(
      iso(
        nextFiring(
          { minute: '0', hour: '9', weekDay: 'MON' },
          'Asia/Seoul',
          new Date('2026-12-03T00:00:00Z'),
        ),
      ),
    ).toBe('2026-12-07T00:00:00.000Z');
  });

  it('is none for a day that never comes', () => {
    expect(
      nextFiring({ minute: '0', hour: '10', day: '30', month: '2' }, 'Asia/Seoul', new Date('2026-01-01')),
    ).toBeUndefined();
  });
});

describe('daylight saving (Europe/Berlin: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00)', () => {
  const at0230 = { minute: '30', hour: '2' };
  const berlin = 'Europe/Berlin';

  it('croner alone would run a 02:30 job at 03:00 on the spring-forward day, as its README documents', () => {
    const cron = new Cron('30 2 * * *', { timezone: berlin, paused: true });
    expect(iso(cron.nextRun(new Date('2026-03-28T12:00:00Z')) ?? undefined)).toBe('2026-03-29T01:00:00.000Z');
  });

  // EventBridge Scheduler documents that a time that does not exist is skipped: the local runtime must not fire
  // a schedule AWS would not, or a replay would show a notice run AWS never starts.
  it('skips 02:30 on the spring-forward day, as EventBridge Scheduler does', () => {
    expect(
      firingsBetween(
        at0230,
        berlin,
        new Date('2026-03-27T12:00:00Z'),
        new Date('2026-03-31T12:00:00Z'),
        10,
      ).map(iso),
    ).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-30T00:30:00.000Z', // 02:30 CEST: the 29th has none
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('fires 02:30 once on the fall-back day, when 02:30 comes twice', () => {
    expect(
      firingsBetween(
        at0230,
        berlin,
        new Date('2026-10-24T12:00:00Z'),
        new Date('2026-10-26T12:00:00Z'),
        10,
      ).map(iso),
    ).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('fires an every-15-minutes schedule once per local time through the repeated hour', () => {
    const firings = firingsBetween(
      { minute: '*/15', hour: '2' },
      berlin,
      new Date('2026-10-24T23:00:00Z'),
      new Date('2026-10-25T03:00:00Z'),
      20,
    );
    // 02:00, 02:15, 02:30, 02:45 in CEST; their repeats in CET are dropped.
    expect(firings.map(iso)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:15:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T00:45:00.000Z',
    ]);
  });
});

describe('firings between two instants', () => {
  it('include one exactly at the end and exclude one exactly at the start', () => {
    const firings = firingsBetween(
      noticeDay,
      'Asia/Seoul',
      new Date('2026-12-12T01:00:00Z'),
      new Date('2027-02-12T01:00:00Z'),
      10,
    );
    expect(firings.map(iso)).toEqual(['2027-01-12T01:00:00.000Z', '2027-02-12T01:00:00.000Z']);
  });

  it('stop at the limit', () => {
    const everyMinute = { minute: '*', hour: '*' };
    const firings = firingsBetween(
      everyMinute,
      'Asia/Seoul',
      new Date('2026-12-12T00:00:00Z'),
      new Date('2026-12-13T00:00:00Z'),
      5,
    );
    expect(firings).toHaveLength(5);
    expect(iso(firings[4])).toBe('2026-12-12T00:05:00.000Z');
  });
});
