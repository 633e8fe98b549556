// ops notices recipients: who receives a month's bill notice, read from the sharded fan-out index (no scan);
// ops notices run: start (or resume) a month's notice run by hand, as its schedule would.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Command, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { SqsNoticeQueues } from '#adapters/aws/sqs-notice-queues';
import { systemClock } from '#adapters/clock';
import { DynamoNoticeStore } from '#adapters/dynamo/notice-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { RUN_KINDS_BY_PERIOD, startRunByHand } from '#app/cycle-notice-runs';
import { allNoticeRecipients } from '#app/notice-recipients';
import { type NoticeRunReport, noticeRunReport } from '#app/notice-report';
import { loadUtilityConfig } from '#config/load';
import { AppError } from '#domain/errors';
import { isPeriod } from '#domain/period';
import { EXIT, FatalError } from './exit.ts';
import { progressReporter } from './progress.ts';
import { addTargetOptions, describeTarget, type TargetOptions, withTable } from './target.ts';

interface RecipientsOptions extends TargetOptions {
  month: string;
  csv?: string;
}

async function runRecipients(options: RecipientsOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  if (!isPeriod(options.month)) throw new FatalError(`--month "${options.month}" is not a month as YYYY-MM.`);
  const started = performance.now();
  const { recipients: all, perShard } = await withTable(options, async (client, table) => {
    const detail = (recipients: number) => `${recipients} found`;
    const progress = progressReporter(
      'notices recipients',
      config.subscriptions.fanOutShards,
      'shards',
      detail(0),
    );
    try {
      return await allNoticeRecipients(
        { config, subscriptions: new DynamoSubscriptionStore(client, table) },
        options.month,
        { onPage: (p) => progress.update(p.shardsDone, detail(p.recipients)) },
      );
    } finally {
      progress.stop();
    }
  });
  const byChannel = new Map<string, number>();
  for (const s of all) byChannel.set(s.channel, (byChannel.get(s.channel) ?? 0) + 1);
  process.stdout.write(
    [
      `Recipients of the ${options.month} bill notice in ${describeTarget(options)} for ${config.id}:`,
      `  total      ${all.length}`,
      ...[...byChannel].map(([channel, count]) => `  ${channel.padEnd(10)} ${count}`),
      `  per shard  ${perShard.join(' ')}`,
      `  duration   ${((performance.now() - started) / 1000).toFixed(1)} s`,
      '',
    ].join('\n'),
  );
  if (options.csv) {
    const base = process.env.INIT_CWD ?? process.cwd();
    const rows = all.map((s) => [
      s.id,
      s.accountNumber,
      s.phone,
      s.channel,
      s.language,
      s.households ?? '',
      s.effectiveMonth ?? '',
    ]);
    await writeFile(
      resolve(base, options.csv),
      stringify([
        [
          'subscription_id',
          'account_number',
          'phone',
          'channel',
          'language',
          'households',
          'effective_month',
        ],
        ...rows,
      ]),
    );
    process.stdout.write(`  written to ${options.csv}\n`);
  }
  return EXIT.ok;
}

interface RunOptions extends TargetOptions {
  kind: string;
  period: string;
  runtime?: string;
  planQueueUrl?: string;
}

const RUN_EXAMPLE = 'npm run ops -- notices run --kind bill --period 2026-12 --runtime http://127.0.0.1:3000';

/**
 * Starts the run, or plans it again: every notice is queued anew and the ones already sent are recognised, so a
 * run stopped half-way (the store down, a deploy) is finished and nobody gets a notice twice. Against the local
 * runtime (--runtime) it asks the runtime, whose in-process queues run the planner and the sender; against AWS it
 * writes the run to the deployment's table and queues its shards on the planner queue (--plan-queue-url).
 */
async function runNoticeRun(options: RunOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  if (!isPeriod(options.period))
    throw new FatalError(`--period "${options.period}" is not a month as YYYY-MM (e.g. 2026-12).`);
  if (options.runtime) {
    const response = await fetch(new URL('/_local/notice-runs', options.runtime), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: options.kind, period: options.period, restart: true }),
    }).catch((error: Error) => {
      throw new FatalError(
        `The local runtime at ${options.runtime} does not answer (${error.message}): is npm start running?`,
      );
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok)
      throw new FatalError(`The runtime refused the run: ${String(answer.detail ?? answer.title)}`);
    process.stdout.write(
      `Notice run ${String(answer.runId)} started (start ${String(answer.starts)}) in ${options.runtime}.\n`,
    );
    return EXIT.ok;
  }
  if (!options.planQueueUrl)
    throw new FatalError(
      'Name the planner queue with --plan-queue-url (the stack output NoticePlanQueueUrl), or the local runtime with --runtime.',
    );
  const planQueueUrl = options.planQueueUrl;
  const outcome = await withTable(options, async (client, table) =>
    startRunByHand(
      {
        config,
        clock: systemClock,
        notices: new DynamoNoticeStore(client, table),
        noticeQueues: new SqsNoticeQueues(new SQSClient({ region: options.region }), {
          plan: planQueueUrl,
          send: '',
        }),
        metrics: { count: () => {} },
      },
      { kind: options.kind, period: options.period, restart: true },
    ).catch((error: unknown) => {
      if (error instanceof AppError) throw new FatalError(error.message);
      throw error;
    }),
  );
  const waiting = outcome.resumeAt ? `; quiet hours: planned from ${outcome.resumeAt}` : '';
  process.stdout.write(
    `Notice run ${outcome.runId} started (start ${outcome.run.starts}) in ${describeTarget(options)} for ${config.id}${waiting}.\n`,
  );
  return EXIT.ok;
}

interface ReportOptions extends TargetOptions {
  kind: string;
  period: string;
  json?: boolean;
}

/** What a run did: read from the table (local with --endpoint, or the deployment's). */
async function runNoticeReport(options: ReportOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  const report = await withTable(options, (client, table) =>
    noticeRunReport(
      { config, notices: new DynamoNoticeStore(client, table) },
      { kind: options.kind, period: options.period },
    ).catch((error: unknown) => {
      if (error instanceof AppError) throw new FatalError(error.message);
      throw error;
    }),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.ok;
  }
  const { counts, estimatedCost: cost } = report;
  const skipped = Object.entries(counts.skipped).map(([reason, n]) => `${reason} ${n}`);
  process.stdout.write(
    [
      `Notice run ${report.run} in ${describeTarget(options)} for ${config.id}: ${report.status}` +
        ` (started ${report.starts}x; shards planned ${report.shards.planned}/${report.shards.total})`,
      `  planned        ${counts.planned}`,
      `  sent           ${counts.sent} (sms ${counts.byChannel.sms}, messenger ${counts.byChannel.messenger})`,
      `  fell back      ${counts.fellBack} (messenger could not deliver: sent by SMS)`,
      `  skipped        ${skipped.length > 0 ? skipped.join(', ') : 0}`,
      `  pending        ${report.pending}`,
      `  message parts  ${counts.smsParts} SMS parts, ${counts.lmsMessages} LMS`,
      `  carrier cost   ${cost.total} ${cost.currency} (sms ${cost.sms}, lms ${cost.lms}, messenger ${cost.messenger}; list prices in config)`,
      ...deliveryLines(report),
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

/** Delivered, failed by reason, and sent notices with no final report yet, each by channel. */
function deliveryLines(report: NoticeRunReport): string[] {
  const { sms, messenger } = report.delivery;
  // A reason whose failures all turned into receipts later counts 0: not worth a word.
  const reasons = (['sms', 'messenger'] as const).flatMap((channel) => {
    const named = Object.entries(report.counts.failed[channel])
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([reason, n]) => `${reason} ${n}`);
    return named.length > 0 ? [`${channel}: ${named.join(', ')}`] : [];
  });
  return [
    `  delivered      ${sms.delivered + messenger.delivered} (sms ${sms.delivered}, messenger ${messenger.delivered})`,
    `  failed         ${sms.failed + messenger.failed}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}`,
    `  awaiting       ${sms.awaiting + messenger.awaiting} (sms ${sms.awaiting}, messenger ${messenger.awaiting}: sent, no final report yet)`,
  ];
}

function noticesReportCommand(): Command {
  const report = new Command('report')
    .description('What a notice run did: planned, sent by channel, fell back, skipped by reason, parts, cost')
    .addOption(new Option('--kind <kind>', 'which notices').choices(RUN_KINDS_BY_PERIOD).default('bill'))
    .requiredOption('--period <YYYY-MM>', 'the billing period of the run')
    .option('--json', 'print the report as JSON');
  addTargetOptions(report);
  return report
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  npm run ops -- notices report --period 2026-12 --endpoint http://127.0.0.1:8000',
      ].join('\n'),
    )
    .action(async (options: ReportOptions) => {
      process.exitCode = await runNoticeReport(options);
    });
}

function noticesRunCommand(): Command {
  const run = new Command('run')
    .description("Start (or resume) a period's notice run by hand, as its schedule does on the notice day")
    .addOption(new Option('--kind <kind>', 'which notices').choices(RUN_KINDS_BY_PERIOD).default('bill'))
    .requiredOption('--period <YYYY-MM>', 'the billing period the notices are for')
    .addOption(
      new Option('--runtime <url>', 'the local runtime (npm start) to run it in, e.g. http://127.0.0.1:3000'),
    )
    .addOption(
      new Option(
        '--plan-queue-url <url>',
        "the deployment's planner queue (stack output NoticePlanQueueUrl)",
      ).env('UTILITYDESK_NOTICE_PLAN_QUEUE_URL'),
    );
  addTargetOptions(run);
  return run
    .addHelpText(
      'after',
      [
        '',
        'A run is identified by kind and period: running it again, or after the schedule, plans the same run again',
        'and sends nobody a second notice (a run stopped half-way is finished). With --runtime the local runtime',
        "(npm start) runs it; otherwise it is the deployment's table and planner queue in AWS (credentials and",
        '--region as for the other commands).',
        '',
        'Example:',
        `  ${RUN_EXAMPLE}`,
      ].join('\n'),
    )
    .action(async (options: RunOptions) => {
      process.exitCode = await runNoticeRun(options);
    });
}

export function addNoticesCommand(program: Command): void {
  const recipients = new Command('recipients')
    .description("List who receives a month's bill notice: active subscriptions effective by that month")
    .requiredOption('--month <YYYY-MM>', 'the billing period of the notice')
    .option('--csv <path>', 'also write the recipients to this CSV file');
  addTargetOptions(recipients);
  recipients
    .addHelpText(
      'after',
      [
        '',
        'Reads every shard of the fan-out index in parallel; ended and opted-out subscriptions are not in it.',
        '',
        'Example:',
        '  npm run ops -- notices recipients --month 2026-12 --endpoint http://127.0.0.1:8000 --csv recipients.csv',
      ].join('\n'),
    )
    .action(async (options: RecipientsOptions) => {
      process.exitCode = await runRecipients(options);
    });
  program.addCommand(
    new Command('notices')
      .description('Bill-notice tasks')
      .addCommand(recipients)
      .addCommand(noticesRunCommand())
      .addCommand(noticesReportCommand()),
  );
}
