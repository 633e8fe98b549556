// ops billing run: start (or finish) a period's billing run by hand, as the billing-run schedule does, and follow it;
// ops billing report: what a billing run did, with the accounts it could not bill.
import { SQSClient } from '@aws-sdk/client-sqs';
import { Command, Option } from 'commander';
import { SqsQueue } from '#adapters/aws/sqs-queue';
import { systemClock } from '#adapters/clock';
import { DynamoBillingStore } from '#adapters/dynamo/billing-store';
import { type BillingRunReport, billingRunReport } from '#app/billing-report';
import { startBillingRun } from '#app/billing-run-start';
import { loadUtilityConfig } from '#config/load';
import { billingPageBody } from '#contracts/billing-page';
import { AppError } from '#domain/errors';
import { isPeriod } from '#domain/period';
import { EXIT, FatalError } from './exit.ts';
import { progressReporter } from './progress.ts';
import { addTargetOptions, describeTarget, type TargetOptions, withTable } from './target.ts';

interface RunOptions extends TargetOptions {
  period: string;
  restart?: boolean;
  runtime?: string;
  queueUrl?: string;
  wait?: boolean;
}

interface ReportOptions extends TargetOptions {
  period: string;
  json?: boolean;
}

const failOnAppError = (error: unknown): never => {
  if (error instanceof AppError) throw new FatalError(error.message);
  throw error;
};

function checkPeriod(period: string): void {
  if (!isPeriod(period))
    throw new FatalError(`--period "${period}" is not a month as YYYY-MM (e.g. 2026-12).`);
}

/** Asks the local runtime for an admin token, then starts the run through POST /admin/billing-runs. */
async function startInRuntime(runtime: string, body: { period: string; restart: boolean }) {
  const call = async (path: string, init: RequestInit) => {
    const response = await fetch(new URL(path, runtime), init).catch((error: Error) => {
      throw new FatalError(
        `The local runtime at ${runtime} does not answer (${error.message}): is npm start running?`,
      );
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new FatalError(`The runtime refused: ${String(answer.detail ?? answer.title)}`);
    return answer;
  };
  const json = { 'content-type': 'application/json' };
  const { token } = await call('/_local/staff-token', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ role: 'admin' }),
  });
  return call('/admin/billing-runs', {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${String(token)}` },
    body: JSON.stringify(body),
  });
}

async function runBillingRun(options: RunOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  checkPeriod(options.period);
  const restart = options.restart ?? false;
  if (options.runtime) {
    const answer = await startInRuntime(options.runtime, { period: options.period, restart });
    process.stdout.write(
      `Billing run ${String(answer.runId)} ${answer.started ? 'started' : 'was running already'} (start ${String(answer.starts)}) in ${options.runtime}.\n`,
    );
  } else {
    if (!options.queueUrl)
      throw new FatalError(
        'Name the billing queue with --queue-url (the stack output BillingQueueUrl), or the local runtime with --runtime.',
      );
    const queueUrl = options.queueUrl;
    const result = await withTable(options, (client, table) =>
      startBillingRun(
        {
          config,
          clock: systemClock,
          billing: new DynamoBillingStore(client, table, config.subscriptions.fanOutShards),
          billingQueue: new SqsQueue(new SQSClient({ region: options.region }), queueUrl, billingPageBody),
          metrics: { count: () => {} },
        },
        { period: options.period, restart },
      ).catch(failOnAppError),
    );
    process.stdout.write(
      `Billing run ${result.runId} ${result.started ? 'started' : 'was running already'} (start ${result.run.starts}) in ${describeTarget(options)}.\n`,
    );
  }
  if (options.wait) await follow(options);
  return EXIT.ok;
}

/** Reads the run's report every two seconds with a progress bar over its parts, until it is done. */
async function follow(options: RunOptions): Promise<void> {
  const config = loadUtilityConfig(options.utility);
  await withTable(options, async (client, table) => {
    const deps = { billing: new DynamoBillingStore(client, table, config.subscriptions.fanOutShards) };
    let report = await billingRunReport(deps, { period: options.period, limit: 1 }).catch(failOnAppError);
    const detail = (r: BillingRunReport) =>
      `${r.counts.created} created, ${r.counts.skipped} skipped, ${r.counts.failed} failed`;
    const progress = progressReporter('billing', report.parts.total, 'parts', detail(report));
    try {
      while (report.status !== 'done') {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        report = await billingRunReport(deps, { period: options.period, limit: 1 }).catch(failOnAppError);
        progress.update(report.parts.done, detail(report));
      }
      progress.update(report.parts.total, detail(report));
    } finally {
      progress.stop();
    }
  });
}

async function runBillingReport(options: ReportOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  checkPeriod(options.period);
  const report = await withTable(options, (client, table) =>
    billingRunReport(
      { billing: new DynamoBillingStore(client, table, config.subscriptions.fanOutShards) },
      { period: options.period, limit: 200 },
    ).catch(failOnAppError),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.ok;
  }
  const { counts } = report;
  const methods = Object.entries(counts.methods).map(([method, n]) => `${method} ${n}`);
  process.stdout.write(
    [
      `Billing run ${report.run} in ${describeTarget(options)} for ${config.id}: ${report.status}` +
        ` (started ${report.starts}x; parts done ${report.parts.done}/${report.parts.total})`,
      `  created         ${counts.created}${methods.length > 0 ? ` (${methods.join(', ')})` : ''}`,
      `  skipped         ${counts.skipped} (billed already)`,
      `  failed          ${counts.failed}`,
      `  possible leaks  ${counts.leakSuspected}`,
      `  amount due      ${counts.amountDue} (minor units of ${config.currency})`,
      ...report.failures.map((f) => `    ${f.accountNumber}  ${f.reason}: ${f.detail}`),
      ...(report.nextCursor ? ['    ... more: --json, or GET /admin/billing-runs/{period}?cursor=...'] : []),
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

export function addBillingCommand(program: Command): void {
  const run = new Command('run')
    .description(
      "Start a period's billing run by hand (as the billing-run schedule does), or start it again to finish it",
    )
    .requiredOption('--period <YYYY-MM>', 'the billing period to bill (the month after the reading window)')
    .option('--restart', 'read every account again: bills made are skipped, missing ones made')
    .option('--wait', 'follow the run with a progress bar until it is done (reads the table)')
    .addOption(
      new Option('--runtime <url>', 'the local runtime (npm start) to run it in, e.g. http://127.0.0.1:3000'),
    )
    .addOption(
      new Option('--queue-url <url>', "the deployment's billing queue (stack output BillingQueueUrl)").env(
        'UTILITYDESK_BILLING_QUEUE_URL',
      ),
    );
  addTargetOptions(run);
  run
    .addHelpText(
      'after',
      [
        '',
        'A bill is written only where an account has none for the period, so running it again bills nobody twice.',
        '',
        'Example:',
        '  npm run ops -- billing run --utility tyumen-power --period 2026-12 --runtime http://127.0.0.1:3000 \\',
        '    --wait --endpoint http://127.0.0.1:8000',
      ].join('\n'),
    )
    .action(async (options: RunOptions) => {
      process.exitCode = await runBillingRun(options);
    });
  const report = new Command('report')
    .description('What a billing run did: created (by method), skipped, failed with the accounts and why')
    .requiredOption('--period <YYYY-MM>', 'the billing period of the run')
    .option('--json', 'print the report as JSON');
  addTargetOptions(report);
  report
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  npm run ops -- billing report --period 2026-12 --endpoint http://127.0.0.1:8000',
      ].join('\n'),
    )
    .action(async (options: ReportOptions) => {
      process.exitCode = await runBillingReport(options);
    });
  program.addCommand(
    new Command('billing').description('Billing-run tasks').addCommand(run).addCommand(report),
  );
}
