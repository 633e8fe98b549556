// Every schedule, with the file its Lambda function is built from: read by the CDK stack and the local runtime.
import type { QueueUrlVariable } from '#adapters/aws/sqs-queue';
import type { TableAccess } from '#adapters/dynamo/table-definition';
import type { UtilityConfig } from '#config/schema';
import { atLocalTime, type CronFields } from '#domain/schedule';
import { run as billNotices } from './bill-notices.ts';
import { run as billingRun } from './billing-run.ts';
import { run as complaintsSla } from './complaints-sla.ts';
import { run as dueReminders } from './due-reminders.ts';
import { run as overdueBills } from './overdue-bills.ts';
import { run as quietHoursEnd } from './quiet-hours-end.ts';
import { run as readingWindowOpens } from './reading-window-opens.ts';
import type { ScheduleRun } from './schedule-handler.ts';

export interface ScheduleEntry {
  /** The schedule's name in AWS and in the payload (`{"schedule": name}`), and its name in the local runtime. */
  name: string;
  /** Construct id of the schedule's function. */
  id: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  description: string;
  /** What the function may do with the table: the CDK stack grants exactly this. */
  table: TableAccess;
  /** When it fires, in the utility's local time (config.timeZone). */
  cron: (config: UtilityConfig) => CronFields;
  run: ScheduleRun;
  /** The consumers' queues it writes to, each named to it by an environment variable. */
  writesTo?: ReadonlyArray<{ consumerId: string; variable: QueueUrlVariable }>;
  /**
   * Each firing does all that is due by its time (an hourly check): when the local clock is moved over many of its
   * firings, it fires once, at the last of them, so a replay of months is not thousands of checks.
   */
  replayLatestOnly?: true;
}

export const billNoticesSchedule: ScheduleEntry = {
  name: 'bill-notices',
  id: 'BillNotices',
  entry: 'functions/handlers/schedule/bill-notices.ts',
  description: 'Starts the bill-notice run on the notice day',
  // Writes the run and queues its first page.
  table: 'RW',
  cron: ({ billing }) => ({
    ...atLocalTime(billing.noticeTime),
    day: String(billing.noticeDay),
    month: billing.billingMonths ? [...billing.billingMonths].sort((a, b) => a - b).join(',') : '*',
  }),
  run: billNotices,
  writesTo: [{ consumerId: 'NoticePlan', variable: 'NOTICE_PLAN_QUEUE_URL' }],
};

export const quietHoursEndSchedule: ScheduleEntry = {
  name: 'quiet-hours-end',
  id: 'QuietHoursEnd',
  entry: 'functions/handlers/schedule/quiet-hours-end.ts',
  description: 'Plans again the notice runs the quiet hours held',
  // Restarts the held runs and takes them off the held list.
  table: 'RW',
  cron: ({ notices }) => ({ ...atLocalTime(notices.quietHours.end), day: '*', month: '*' }),
  run: quietHoursEnd,
  writesTo: [
    { consumerId: 'NoticePlan', variable: 'NOTICE_PLAN_QUEUE_URL' },
    // The SMS the quiet hours held (complaint updates).
    { consumerId: 'SmsOutbound', variable: 'OUTBOUND_QUEUE_URL' },
  ],
};

export const billingRunSchedule: ScheduleEntry = {
  name: 'billing-run',
  id: 'BillingRunStart',
  entry: 'functions/handlers/schedule/billing-run.ts',
  description:
    "Bills the next period once the reading window has closed, or exports the window's readings to the utility's billing system",
  // Writes the run and queues the first page of every part of the account index.
  table: 'RW',
  cron: ({ billing, readings }) => ({
    ...atLocalTime(billing.run.time),
    day: String(billing.run.day ?? readings.window.endDay + 1),
    month: '*',
  }),
  run: billingRun,
  writesTo: [{ consumerId: 'Billing', variable: 'BILLING_QUEUE_URL' }],
};

export const overdueBillsSchedule: ScheduleEntry = {
  name: 'overdue-bills',
  id: 'OverdueBills',
  entry: 'functions/handlers/schedule/overdue-bills.ts',
  description: 'Marks the unpaid bills due yesterday overdue, through the bill sweep queue',
  // Queues every shard's first page; the sweep consumer writes the bills.
  table: 'none',
  // 00:30 local: the due date has passed in the utility's zone, and the day's reminders have not begun.
  cron: () => ({ ...atLocalTime('00:30'), day: '*', month: '*' }),
  run: overdueBills,
  writesTo: [{ consumerId: 'BillSweep', variable: 'BILL_SWEEP_QUEUE_URL' }],
};

export const readingWindowOpensSchedule: ScheduleEntry = {
  name: 'reading-window-opens',
  id: 'ReadingWindowOpens',
  entry: 'functions/handlers/schedule/reading-window-opens.ts',
  description: 'Reminds residents who read their own meters that the reading window is open',
  // Writes the run and queues its first page.
  table: 'RW',
  cron: ({ billing, readings }) => ({
    ...atLocalTime(billing.noticeTime),
    day: String(readings.window.startDay),
    month: '*',
  }),
  run: readingWindowOpens,
  writesTo: [{ consumerId: 'NoticePlan', variable: 'NOTICE_PLAN_QUEUE_URL' }],
};

export const dueRemindersSchedule: ScheduleEntry = {
  name: 'due-reminders',
  id: 'DueReminders',
  entry: 'functions/handlers/schedule/due-reminders.ts',
  description: 'Reminds who has not paid, billing.reminderDaysBefore days before the due date',
  // Daily: the due rule says on which days a period's bills are that many days from due.
  table: 'RW',
  cron: ({ billing }) => ({ ...atLocalTime(billing.noticeTime), day: '*', month: '*' }),
  run: dueReminders,
  writesTo: [{ consumerId: 'NoticePlan', variable: 'NOTICE_PLAN_QUEUE_URL' }],
};

export const complaintsSlaSchedule: ScheduleEntry = {
  name: 'complaints-sla',
  id: 'ComplaintsSla',
  entry: 'functions/handlers/schedule/complaints-sla.ts',
  description: 'Flags complaints past their deadline and tells their offices by SMS, once per breach',
  // Writes each breach's flag and history entry, and takes released SMS off the held list.
  table: 'RW',
  // On the hour of local time, every hour: a deadline is found at most an hour late.
  cron: () => ({ minute: '0', hour: '*', day: '*', month: '*' }),
  run: complaintsSla,
  writesTo: [{ consumerId: 'SmsOutbound', variable: 'OUTBOUND_QUEUE_URL' }],
  replayLatestOnly: true,
};

export const schedules: ScheduleEntry[] = [
  billNoticesSchedule,
  quietHoursEndSchedule,
  billingRunSchedule,
  overdueBillsSchedule,
  readingWindowOpensSchedule,
  dueRemindersSchedule,
  complaintsSlaSchedule,
];
