// ops notices recipients: who receives a month's bill notice, read from the sharded fan-out index (no scan);
// ops notices run: start (or resume) a month's notice run by hand, as its schedule would.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { systemClock } from '#adapters/clock';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { allNoticeRecipients } from '#app/notice-recipients';
import { startNoticeRun } from '#app/notice-runs';
import { loadUtilityConfig } from '#config/load';
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
  kind: 'bill';
  period: string;
}

const RUN_EXAMPLE =
  'npm run ops -- notices run --kind bill --period 2026-12 --endpoint http://127.0.0.1:8000';

/**
 * Calls the use case the schedule's function calls, with the table of the target: DynamoDB Local with --endpoint,
 * the deployment's table in AWS otherwise. It is not an invocation of the schedule's Lambda function (the project has
 * no Lambda client); the run is the same, since the use case only records the run and queues its work, and a run is
 * identified by (kind, period), so starting one that exists resumes it.
 */
async function runNoticeRun(options: RunOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  if (!isPeriod(options.period))
    throw new FatalError(`--period "${options.period}" is not a month as YYYY-MM (e.g. 2026-12).`);
  const outcome = await withTable(options, async () =>
    startNoticeRun(
      { clock: systemClock },
      { kind: options.kind, period: options.period, scheduledAt: systemClock.now() },
    ),
  );
  process.stdout.write(
    `Notice run ${outcome.runId} ${outcome.started ? 'started' : 'was already started: resumed'} in ${describeTarget(options)} for ${config.id}.\n`,
  );
  return EXIT.ok;
}

function noticesRunCommand(): Command {
  const run = new Command('run')
    .description("Start (or resume) a period's notice run by hand, as its schedule does on the notice day")
    .addOption(new Option('--kind <kind>', 'which notices').choices(['bill']).default('bill'))
    .requiredOption('--period <YYYY-MM>', 'the billing period the notices are for');
  addTargetOptions(run);
  return run
    .addHelpText(
      'after',
      [
        '',
        'A run is identified by kind and period: running it again, or after the schedule, resumes the same run and',
        'sends nobody a second notice. With --endpoint it runs against DynamoDB Local (npm start); without, against',
        "the deployment's table in AWS (credentials and --region as for the other commands).",
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
      .addCommand(noticesRunCommand()),
  );
}
