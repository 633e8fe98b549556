// The schedule table and its wrapper's payload: when bill-notices fires for each utility, and what a firing carries.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { ConfigError, parseUtilityConfig, type UtilityConfig } from '#config/schema';
import { cronExpression } from '#domain/schedule';
import { readScheduleEvent, scheduleEvent } from '#handlers/schedule/schedule-handler';
import { billNoticesSchedule, schedules } from '#handlers/schedule/schedules';

const withBilling = (config: UtilityConfig, billing: Record<string, unknown>): unknown => ({
  ...config,
  billing: { ...config.billing, ...billing },
});

function problemOf(raw: unknown): string {
  try {
    parseUtilityConfig(raw, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('the schedule table', () => {
  it('names each schedule, function and entry file once', () => {
    for (const key of ['name', 'id', 'entry'] as const) {
      const values = schedules.map((s) => s[key]);
      expect(new Set(values).size).toBe(values.length);
    }
    for (const entry of schedules) {
      expect(entry.entry).toBe(`functions/handlers/schedule/${entry.name}.ts`);
    }
  });

  it('fires bill-notices at 10:00 local on the 12th of every month for both demo utilities', () => {
    for (const utility of ['seoul-water', 'tyumen-power']) {
      const config = loadUtilityConfig(utility);
      expect(config.billing.noticeTime).toBe('10:00');
      expect(config.billing.billingMonths).toBeUndefined();
      expect(cronExpression(billNoticesSchedule.cron(config))).toBe('cron(0 10 12 * ? *)');
    }
  });

  // Seoul bills every two months, but half its accounts in odd months and half in even ones: it has bills to
  // announce every month, so it leaves billingMonths out. A utility billing everyone in the same months names them.
  it('fires bill-notices only in the billing months a bimonthly utility names, at its notice time', () => {
    const config = parseUtilityConfig(
      withBilling(loadUtilityConfig('seoul-water'), {
        noticeDay: 20,
        noticeTime: '09:30',
        billingMonths: [11, 1, 3, 5, 7, 9],
      }),
      'test.json',
    );
    expect(cronExpression(billNoticesSchedule.cron(config))).toBe('cron(30 9 20 1,3,5,7,9,11 ? *)');
  });
});

describe('billing months and notice time in the configuration', () => {
  const seoul = loadUtilityConfig('seoul-water');
  const tyumen = loadUtilityConfig('tyumen-power');

  it('default the notice time to 10:00', () => {
    const { noticeTime: _omitted, ...billing } = seoul.billing;
    const config = parseUtilityConfig({ ...seoul, billing }, 'test.json');
    expect(config.billing.noticeTime).toBe('10:00');
  });

  it('refuse a notice time that is not HH:mm', () => {
    expect(problemOf(withBilling(seoul, { noticeTime: '10h' }))).toMatch(/billing\.noticeTime: a local time/);
  });

  it('accept six months two apart for a utility billing every two months', () => {
    for (const months of [
      [1, 3, 5, 7, 9, 11],
      [2, 4, 6, 8, 10, 12],
    ]) {
      expect(() =>
        parseUtilityConfig(withBilling(seoul, { billingMonths: months }), 'test.json'),
      ).not.toThrow();
    }
  });

  it('refuse months that do not match intervalMonths', () => {
    const twoApart = /billing\.billingMonths: with intervalMonths 2, six different months two apart/;
    expect(problemOf(withBilling(seoul, { billingMonths: [1, 3, 5] }))).toMatch(twoApart);
    expect(problemOf(withBilling(seoul, { billingMonths: [1, 2, 3, 4, 5, 6] }))).toMatch(twoApart);
    expect(problemOf(withBilling(seoul, { billingMonths: [1, 3, 5, 7, 9, 9] }))).toMatch(twoApart);
    expect(problemOf(withBilling(tyumen, { billingMonths: [1, 3, 5, 7, 9, 11] }))).toMatch(
      /billing\.billingMonths: with intervalMonths 1 every month bills/,
    );
    expect(problemOf(withBilling(seoul, { billingMonths: [0, 2, 4, 6, 8, 10] }))).toMatch(
      /billing\.billingMonths\.0: /,
    );
  });
});

describe('a schedule payload', () => {
  it('carries the schedule and its scheduled time, as EventBridge Scheduler fills it in', () => {
    expect(
      readScheduleEvent({ schedule: 'bill-notices', scheduledAt: '2026-12-12T01:00:00Z' }, 'bill-notices'),
    ).toEqual({
      name: 'bill-notices',
      scheduledAt: new Date('2026-12-12T01:00:00Z'),
    });
    const at = new Date('2026-12-12T01:00:00Z');
    expect(readScheduleEvent(scheduleEvent('bill-notices', at), 'bill-notices').scheduledAt).toEqual(at);
  });

  // A target pointed at the wrong function, or an input edited by hand in the console, must fail loudly (and be
  // dead-lettered after the retries) rather than start some other run.
  it('is refused for another schedule, a missing time, a time without offset, or no object at all', () => {
    expect(() =>
      readScheduleEvent({ schedule: 'due-reminders', scheduledAt: '2026-12-12T01:00:00Z' }, 'bill-notices'),
    ).toThrow(/runs the schedule "bill-notices", not "due-reminders"/);
    expect(() => readScheduleEvent({ schedule: 'bill-notices' }, 'bill-notices')).toThrow(/scheduledAt/);
    expect(() =>
      readScheduleEvent({ schedule: 'bill-notices', scheduledAt: '2026-12-12T10:00:00' }, 'bill-notices'),
    ).toThrow(/scheduledAt/);
    expect(() => readScheduleEvent('bill-notices', 'bill-notices')).toThrow(/Not a schedule payload/);
  });
});
