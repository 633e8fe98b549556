// ops import accounts | bills | readings: load a CSV file into the table, writing the rejected rows beside it.
import { rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SqsNoticeQueues } from '#adapters/aws/sqs-notice-queues';
import { systemClock } from '#adapters/clock';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { DynamoNoticeStore } from '#adapters/dynamo/notice-store';
import { DynamoPaymentStore } from '#adapters/dynamo/payment-store';
import { DynamoReadingStore } from '#adapters/dynamo/reading-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { importAutoPayResults } from '#app/auto-pay';
import {
  type ImportProgress,
  type ImportResult,
  importAccounts,
  importBills,
  importPayments,
} from '#app/import';
import { rejectsCsv } from '#app/import-csv';
import { importReadings } from '#app/readings-import';
import { loadUtilityConfig } from '#config/load';
import { IMPORT_COLUMNS, type ImportKind } from '#domain/import-columns';
import { importRows, scanFile } from './csv.ts';
import { EXIT, FatalError } from './exit.ts';
import { progressReporter } from './progress.ts';
import { addTargetOptions, describeTarget, type TargetOptions, withTable } from './target.ts';

interface ImportOptionsCli extends TargetOptions {
  rejects?: string;
  /** autopay: the local runtime that sends the notices (npm start). */
  runtime?: string;
  /** autopay: the deployment's notice queue the notices go to. */
  noticeQueueUrl?: string;
  batchSize: number;
  concurrency: number;
}

const REJECTS_SHOWN = 10;
const BUSY_SHOWN = 10;

const wholeNumber = (max: number) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) {
    throw new InvalidArgumentError(`a whole number from 1 to ${max}`);
  }
  return number;
};

async function writeRejects(
  path: string,
  header: string[],
  result: ImportResult,
  bom: boolean,
): Promise<void> {
  await writeFile(path, rejectsCsv(header, result.rejects, bom), 'utf8');
}

async function runImport(kind: ImportKind, file: string, options: ImportOptionsCli): Promise<number> {
  const started = performance.now();
  // `npm run` starts in the package root; paths are meant from where the person typed the command.
  const base = process.env.INIT_CWD ?? process.cwd();
  const path = resolve(base, file);
  const rejectsFile = options.rejects ?? `${file}.rejects.csv`;
  const rejectsPath = resolve(base, rejectsFile);

  const config = loadUtilityConfig(options.utility);
  const scanned = await scanFile(kind, path, file);

  const { result, unregistered, alreadyRecorded } = await withTable(options, async (client, table) => {
    const accounts = new DynamoAccountStore(client, table, config.billing.run.shards);
    // One cheap read first: a wrong table or endpoint is reported before any row is processed.
    await accounts.existing([config.accountNumber.example]);
    const detail = (p: ImportProgress) => `${p.imported} imported, ${p.rejected} rejected`;
    const progress = progressReporter(
      `import ${kind}`,
      scanned.rows,
      'rows',
      detail({ read: 0, imported: 0, rejected: 0 }),
    );
    const rows = importRows(path, file, scanned.header);
    const run = {
      batchSize: options.batchSize,
      concurrency: options.concurrency,
      onProgress: (p: ImportProgress) => progress.update(p.imported + p.rejected, detail(p)),
    };
    try {
      if (kind === 'payments') {
        const imported = await importPayments(
          { config, accounts, payments: new DynamoPaymentStore(client, table), clock: systemClock },
          rows,
          run,
        );
        return { result: imported, alreadyRecorded: imported.alreadyRecorded };
      }
      if (kind === 'autopay') return { result: await importAutoPay(config, client, table, rows, options) };
      if (kind === 'readings') {
        return {
          result: await importReadings(
            { config, clock: systemClock, readings: new DynamoReadingStore(client, table) },
            rows,
            run,
          ),
        };
      }
      if (kind === 'bills') {
        return {
          result: await importBills(
            {
              config,
              accounts,
              bills: new DynamoBillStore(client, table, config.subscriptions.fanOutShards),
            },
            rows,
            run,
          ),
        };
      }
      const subscriptions = new DynamoSubscriptionStore(client, table);
      const imported = await importAccounts(
        { config, accounts, subscriptions, clock: systemClock },
        rows,
        run,
      );
      return { result: imported, unregistered: imported };
    } finally {
      progress.stop();
    }
  });

  let staleRemoved = false;
  if (result.rejects.length > 0) {
    await writeRejects(rejectsPath, scanned.header, result, scanned.bom);
  } else {
    // A rejects file left by an earlier run would describe rows that are now imported.
    staleRemoved = await rm(rejectsPath).then(
      () => true,
      () => false,
    );
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const row = (label: string, value: string | number) => `  ${label.padEnd(20)} ${value}`;
  const out: string[] = [
    `Imported ${kind} from ${file} into ${describeTarget(options)} for ${config.id}.`,
    row('rows read', result.read),
    row('imported', result.imported),
    row('rejected', result.rejected),
    ...(alreadyRecorded === undefined ? [] : [row('already recorded', alreadyRecorded)]),
    ...(unregistered
      ? [
          row('phones unregistered', unregistered.phonesUnregistered),
          row('subscriptions ended', unregistered.subscriptionsEnded),
        ]
      : []),
    row('duration', `${seconds} s`),
  ];
  if (result.rejects.length > 0) {
    out.push(
      row('rejects', rejectsFile),
      '',
      `Rejected rows${result.rejected > REJECTS_SHOWN ? ` (first ${REJECTS_SHOWN})` : ''}:`,
    );
    for (const reject of result.rejects.slice(0, REJECTS_SHOWN))
      out.push(`  line ${reject.line}: ${reject.reason}`);
    if (result.rejected > REJECTS_SHOWN)
      out.push(`  ... ${result.rejected - REJECTS_SHOWN} more in ${rejectsFile}`);
  } else {
    out.push(row('rejects', `none${staleRemoved ? ` (removed the old ${rejectsFile})` : ''}`));
  }
  const busy = unregistered?.busySubscriptions ?? [];
  if (busy.length > 0) {
    out.push(
      '',
      `These subscriptions of unregistered phones kept changing while they were being ended${busy.length > BUSY_SHOWN ? ` (first ${BUSY_SHOWN})` : ''};`,
      'run `npm run ops -- migrate subscriptions` to end them:',
      ...busy.slice(0, BUSY_SHOWN).map((id) => `  ${id}`),
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return result.rejected > 0 ? EXIT.rejected : EXIT.ok;
}

/**
 * The bank's auto-pay results: each recorded on its bill, then its notices queued: on the deployment's notice queue
 * (--notice-queue-url), or, with --runtime, by asking the local runtime to plan each period's auto-pay-result run
 * again once the file is in (its in-process queues send them).
 */
async function importAutoPay(
  config: ReturnType<typeof loadUtilityConfig>,
  client: Parameters<Parameters<typeof withTable>[1]>[0],
  table: string,
  rows: ReturnType<typeof importRows>,
  options: ImportOptionsCli,
): Promise<ImportResult> {
  const { runtime, noticeQueueUrl } = options;
  if (!runtime && !noticeQueueUrl) {
    throw new FatalError(
      'Name where the notices go: --notice-queue-url (the stack output NoticeSendQueueUrl), or the local runtime with --runtime.',
    );
  }
  const sqs = noticeQueueUrl
    ? new SqsNoticeQueues(new SQSClient({ region: options.region }), { plan: '', send: noticeQueueUrl })
    : undefined;
  const periods = new Set<string>();
  const result = await importAutoPayResults(
    {
      config,
      clock: systemClock,
      accounts: new DynamoAccountStore(client, table, config.billing.run.shards),
      bills: new DynamoBillStore(client, table, config.subscriptions.fanOutShards),
      notices: new DynamoNoticeStore(client, table),
      subscriptions: new DynamoSubscriptionStore(client, table),
      noticeQueues: {
        plan: async () => {},
        send: async (jobs) => {
          for (const job of jobs) periods.add(job.run.ref);
          await sqs?.send(jobs);
        },
      },
    },
    rows,
  );
  if (runtime) {
    for (const period of periods) {
      const response = await fetch(new URL('/_local/notice-runs', runtime), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'auto-pay-result', period, restart: true }),
      }).catch((error: Error) => {
        throw new FatalError(
          `The local runtime at ${runtime} does not answer (${error.message}): is npm start running?`,
        );
      });
      if (!response.ok) throw new FatalError(`The runtime refused the auto-pay-result run of ${period}.`);
    }
  }
  return result;
}

export const IMPORT_DESCRIPTIONS: Record<ImportKind, { summary: string; formats: string; example: string }> =
  {
    accounts: {
      summary:
        'Create or replace accounts (holder, address, district, payment, meters, phones) from a CSV file.',
      formats: [
        'Cell formats:',
        '  payment_method   auto-pay | giro',
        '  virtual_account_bank, virtual_account_number   both set or both empty',
        '  households       whole number >= 1 (empty: 1)',
        '  phones           numbers separated by ";", national or international (+82 ...); at most 20',
        '  meters           ID:kind separated by ";", kind from the utility configuration (single, two-tariff)',
        '',
        'Re-importing an account replaces it; phones no longer listed are unregistered, and the',
        'subscriptions they made themselves on that account end (those the holder added stay).',
      ].join('\n'),
      example: 'npm run ops -- import accounts accounts-2026-03.csv --utility seoul-water',
    },
    bills: {
      summary: 'Create or replace bills (usage, charges, reductions, amount due, payment) from a CSV file.',
      formats: [
        'Cell formats (amounts in major units as printed: 13340 KRW, 1234.56 RUB):',
        '  period           YYYY-MM; usage_from, usage_to, due_date, issued_at: YYYY-MM-DD',
        '  usage            23 (single register) or day=120;night=45',
        '  estimated        yes | no | true | false (empty: no)',
        '  unit             m3 | kWh (empty: the unit of the meter kind)',
        '  charges          code=amount;... with tariff codes from the configuration',
        '  reductions       code=amount;... with reduction codes from the configuration',
        '  arrears, late_fee  amounts (empty: 0)',
        '  amount_due       must equal charges - reductions + arrears + late_fee',
        "  due_date         empty: the utility's due-date rule for the period",
        '  status           unpaid | paid | overdue',
        '  paid_at          ISO date-time with offset, e.g. 2026-03-31T14:05:00+09:00',
        '  paid_amount      amount; paid_at and paid_amount come together',
        '  paid_method      auto-pay | giro | virtual-account | card | cash (empty: giro)',
        '  meter            the meter ID the readings are of (needed with any reading column)',
        '  previous_reading, current_reading   1234 or day=1234;night=187 (the usage registers)',
        '  *_reading_date   YYYY-MM-DD (empty: usage_from, usage_to); *_reading_kind: actual | estimated',
        '',
        'The account of every bill must exist. Re-importing a bill (same account and period) replaces it.',
      ].join('\n'),
      example:
        'npm run ops -- import bills bills-2026-03.csv --utility tyumen-power --rejects /tmp/rejects.csv',
    },
    payments: {
      summary:
        "Record payments (a bank's or payment system's report) on their bills, once per reference, from a CSV file.",
      formats: [
        'Cell formats (amounts in major units as printed: 13340 KRW, 1234.56 RUB):',
        '  period           YYYY-MM: the bill the payment is for (the account must have it)',
        '  amount           more than 0; at most what is still owed (plus the configured tolerance)',
        '  paid_at          ISO date-time with offset, e.g. 2026-03-31T14:05:00+09:00; not in the future',
        '  method           auto-pay | giro | virtual-account | card | cash',
        "  reference        the bank's reference, 1 to 100 visible characters; unique in the file",
        '',
        'A payment is recorded once per reference: importing the file again records nothing twice (those rows',
        'count as "already recorded"); a reference recorded for another account, period or amount is rejected.',
        'A bill is paid once its payments cover the amount due; a part payment leaves the rest owed.',
      ].join('\n'),
      example: 'npm run ops -- import payments payments-2026-03-31.csv --utility seoul-water',
    },
    autopay: {
      summary: "Record the bank's auto-pay results on their bills and tell the subscribers, from a CSV file.",
      formats: [
        'Cell formats:',
        '  period           YYYY-MM: the bill the withdrawal was for (it must exist)',
        '  status           withdrawn | not-withdrawn',
        '  amount           withdrawn amount in major units as printed (required when withdrawn, else empty)',
        "  reason           the bank's reason when not withdrawn (optional)",
        '  at               ISO date-time with offset, e.g. 2026-11-23T09:00:00+09:00',
        "  reference        the bank's reference: a result is recorded once per reference",
        '',
        'The account must pay by auto-pay. A withdrawal is recorded as an auto-pay payment (the bill is paid',
        "once covered); each account's subscribers get the auto-pay-result notice once. Re-importing is safe.",
        'Notices go to --notice-queue-url in AWS, or through the local runtime with --runtime.',
      ].join('\n'),
      example:
        'npm run ops -- import autopay autopay-2026-11-23.csv --utility seoul-water --endpoint http://127.0.0.1:8000 --runtime http://127.0.0.1:3000',
    },
    readings: {
      summary: 'Load past meter readings (meter readers, the utility system) that count for their window.',
      formats: [
        'Cell formats:',
        '  meter            the meter ID (empty: the account has one meter)',
        '  values           1234 (single register) or day=1234;night=187: whole values as the meter shows them',
        '  read_at          YYYY-MM-DD, the local date the meter was read; not after today',
        '',
        "A reading must fit the meter (its registers and digits) and not be below the meter's last known",
        'reading (earlier readings from any source, and the actual readings printed on its bills). It is stored',
        "with source import and counts for the window of its read date's month (the latest reading taken counts).",
        'Re-importing the same meter and date changes nothing; other values for it are rejected.',
      ].join('\n'),
      example: 'npm run ops -- import readings readers-2026-12.csv --utility tyumen-power',
    },
  };

function importKindCommand(kind: ImportKind): Command {
  const { summary, formats, example } = IMPORT_DESCRIPTIONS[kind];
  const { required, optional } = IMPORT_COLUMNS[kind];
  const command = new Command(kind)
    .description(summary)
    .argument('<file>', 'CSV file, UTF-8, with a header row')
    .option('--rejects <path>', 'where to write the rejected rows (default: <file>.rejects.csv)')
    .addOption(
      new Option('--batch-size <rows>', 'rows written per batch').argParser(wholeNumber(1000)).default(100),
    )
    .addOption(
      new Option('--concurrency <batches>', 'batches written at the same time')
        .argParser(wholeNumber(16))
        .default(4),
    );
  if (kind === 'autopay') {
    command
      .addOption(new Option('--runtime <url>', 'the local runtime (npm start) that sends the notices'))
      .addOption(
        new Option(
          '--notice-queue-url <url>',
          "the deployment's notice queue (stack output NoticeSendQueueUrl)",
        ).env('UTILITYDESK_NOTICE_SEND_QUEUE_URL'),
      );
  }
  addTargetOptions(command);
  return command
    .addHelpText(
      'after',
      [
        '',
        `Required columns: ${required.join(', ')}`,
        `Optional columns: ${optional.join(', ')}`,
        '',
        formats,
        '',
        'Bad rows are not imported; each is listed with its line number and reason in the rejects file',
        '(columns line, reason, then the original columns). Exit code 0: all rows imported;',
        '2: some rows rejected; 1: nothing could be done (missing file, bad header, table unreachable).',
        '',
        'Example:',
        `  ${example}`,
      ].join('\n'),
    )
    .action(async (file: string, options: ImportOptionsCli) => {
      process.exitCode = await runImport(kind, file, options);
    });
}

export function addImportCommand(program: Command): void {
  const command = new Command('import')
    .description(
      'Load accounts, bills or readings (create or replace), payments or auto-pay results (once per reference) from a CSV file; safe to re-run',
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        `  ${IMPORT_DESCRIPTIONS.accounts.example}`,
        `  ${IMPORT_DESCRIPTIONS.bills.example}`,
        `  ${IMPORT_DESCRIPTIONS.readings.example}`,
      ].join('\n'),
    );
  command.addCommand(importKindCommand('accounts'));
  command.addCommand(importKindCommand('bills'));
  command.addCommand(importKindCommand('payments'));
  command.addCommand(importKindCommand('autopay'));
  command.addCommand(importKindCommand('readings'));
  program.addCommand(command);
}
