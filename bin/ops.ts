// The ops CLI for utility staff (`npm run ops -- <command>`): imports now; each later command is one add...Command.
import { createReadStream } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { deployedTableName, LOCAL_TABLE_NAME } from '#adapters/dynamo/table-definition';
import {
  type ImportProgress,
  type ImportResult,
  type ImportRow,
  importAccounts,
  importBills,
} from '#app/import';
import { noticeRecipients } from '#app/notice-recipients';
import { availableUtilities, loadUtilityConfig } from '#config/load';
import { ConfigError } from '#config/schema';
import type { ImportRecord } from '#domain/import-cells';
import { checkHeader, IMPORT_COLUMNS, type ImportKind } from '#domain/import-columns';
import { isPeriod } from '#domain/period';
import type { Subscription } from '#domain/subscription';

const EXIT = { ok: 0, fatal: 1, rejected: 2 } as const;

/** An error that ends the command with exit code 1 and only its message (no stack): the user can fix it. */
export class FatalError extends Error {
  override name = 'FatalError';
}

// ---------------------------------------------------------------------------------------------
// Where the data goes: options shared by every command that talks to the table.

interface TargetOptions {
  utility: string;
  /** Absent: the deployed table's name in AWS, or the local runtime's with --endpoint. */
  table?: string;
  endpoint?: string;
  region?: string;
}

function addTargetOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--utility <id>', 'utility whose configuration checks the data')
        .choices(availableUtilities())
        .env('UTILITYDESK_UTILITY')
        .default('seoul-water'),
    )
    .addOption(
      new Option(
        '--table <name>',
        `DynamoDB table (default: utilitydesk-<utility> in AWS, ${LOCAL_TABLE_NAME} with --endpoint)`,
      ).env('UTILITYDESK_TABLE'),
    )
    .addOption(
      new Option(
        '--endpoint <url>',
        'DynamoDB endpoint, e.g. http://127.0.0.1:8000 for DynamoDB Local (absent: AWS)',
      ).env('DYNAMODB_ENDPOINT'),
    )
    .addOption(new Option('--region <region>', 'AWS region (absent: us-east-1)').env('AWS_REGION'));
}

function tableOf(target: TargetOptions): string {
  return target.table ?? (target.endpoint ? LOCAL_TABLE_NAME : deployedTableName(target.utility));
}

function describeTarget(target: TargetOptions): string {
  const where = target.endpoint
    ? `DynamoDB at ${target.endpoint}`
    : `AWS region ${target.region ?? 'us-east-1'}`;
  return `table "${tableOf(target)}" (${where})`;
}

/** Turns the SDK's errors into one sentence a member of staff can act on; others are returned as they are. */
function explainDynamoError(error: unknown, target: TargetOptions): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const where = target.endpoint ?? `AWS region ${target.region ?? 'us-east-1'}`;
  if (error.name === 'ResourceNotFoundException') {
    return new FatalError(
      `The table "${tableOf(target)}" does not exist in ${where} (use --table or UTILITYDESK_TABLE).`,
    );
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(String(code)) ||
    error.name === 'TimeoutError' ||
    error instanceof AggregateError
  ) {
    return new FatalError(`Cannot reach DynamoDB at ${where}: ${error.message || String(code)}.`);
  }
  if (error.name === 'CredentialsProviderError') {
    return new FatalError(`No AWS credentials were found for ${where}: ${error.message}`);
  }
  if ('$metadata' in error)
    return new FatalError(`DynamoDB (${where}) refused the request: ${error.name}: ${error.message}`);
  return error;
}

// ---------------------------------------------------------------------------------------------
// Reading CSV files: UTF-8 (a BOM is dropped), any line ending, 1-based line numbers of where rows start.

interface CsvRow {
  line: number;
  fields: string[];
}

/** Decodes UTF-8 strictly, drops a leading BOM and turns CRLF and lone CR into LF, so line counts hold. */
function normalisedText(file: string, found: { bom: boolean }): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let carry = '';
  let lines = 1;
  let first = true;
  const convert = (text: string) => text.replace(/\r\n?/g, '\n');
  const notUtf8 = (line: number) =>
    new FatalError(
      `${file} is not UTF-8 text (line ${line}): save it as "CSV UTF-8" (Excel) or convert it, then try again.`,
    );
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text: string;
      try {
        text = carry + decoder.decode(chunk, { stream: true });
      } catch {
        // Lenient decoding marks the first bad byte with U+FFFD: the lines before it tell where it is.
        const lenient = chunk.toString('utf8');
        const bad = Math.max(0, lenient.indexOf('\uFFFD'));
        done(notUtf8(lines + (lenient.slice(0, bad).match(/\r\n?|\n/g)?.length ?? 0)));
        return;
      }
      if (first && text.length > 0) {
        first = false;
        if (text.startsWith('\uFEFF')) {
          found.bom = true;
          text = text.slice(1);
        }
      }
      // A CR at the end of a chunk may be the first half of a CRLF.
      carry = text.endsWith('\r') ? '\r' : '';
      const out = convert(carry ? text.slice(0, -1) : text);
      lines += out.match(/\n/g)?.length ?? 0;
      done(null, out.length > 0 ? out : undefined);
    },
    flush(done) {
      let rest: string;
      try {
        rest = convert(carry + decoder.decode());
      } catch {
        done(notUtf8(lines));
        return;
      }
      done(null, rest.length > 0 ? rest : undefined);
    },
  });
}

/** Every non-blank row of a CSV file (the header included) with the line it starts on. */
async function* readCsv(
  path: string,
  file: string,
  found: { bom: boolean } = { bom: false },
): AsyncGenerator<CsvRow> {
  const source = createReadStream(path);
  const text = normalisedText(file, found);
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true });
  source.on('error', (error) => parser.destroy(error));
  text.on('error', (error) => parser.destroy(error));
  source.pipe(text).pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (record.every((value) => value.trim() === '')) continue;
      // info.lines is the line the row ends on; a quoted field may span several lines.
      const breaks = record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
      yield { line: info.lines - breaks, fields: record };
    }
  } catch (error) {
    if (error instanceof FatalError) throw error;
    throw new FatalError(`${file} is not valid CSV: ${(error as Error).message}`);
  } finally {
    source.destroy();
  }
}

export interface ScannedFile {
  header: string[];
  /** Data rows (non-blank rows after the header). */
  rows: number;
  bom: boolean;
}

/** Reads the whole file once before anything is written: it exists, is UTF-8 CSV, has a good header. */
export async function scanFile(kind: ImportKind, path: string, file: string): Promise<ScannedFile> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new FatalError(`The file ${file} does not exist.`);
  if (!info.isFile()) throw new FatalError(`${file} is not a file.`);
  const found = { bom: false };
  let header: string[] | undefined;
  let rows = 0;
  for await (const row of readCsv(path, file, found)) {
    if (header) {
      rows += 1;
      continue;
    }
    header = row.fields.map((name) => name.trim().toLowerCase());
    const problem = checkHeader(kind, header);
    if (problem) {
      const other: ImportKind = kind === 'accounts' ? 'bills' : 'accounts';
      const hint =
        checkHeader(other, header) === undefined ? ` It looks like ${other}: use \`import ${other}\`.` : '';
      throw new FatalError(`${file}: ${problem}${hint}`);
    }
  }
  if (!header) {
    throw new FatalError(
      `${file} is empty: it needs a header row naming the columns ${IMPORT_COLUMNS[kind].required.join(', ')}.`,
    );
  }
  return { header, rows, bom: found.bom };
}

/** The data rows as the use case takes them; a row whose shape does not fit the header carries a problem. */
export async function* importRows(path: string, file: string, header: string[]): AsyncGenerator<ImportRow> {
  let isHeader = true;
  for await (const { line, fields } of readCsv(path, file)) {
    if (isHeader) {
      isHeader = false;
      continue;
    }
    const record: ImportRecord = {};
    header.forEach((name, i) => {
      if (name !== '') record[name] = fields[i] ?? '';
    });
    const columns = header.findLastIndex((name) => name !== '') + 1;
    const stray = fields.findIndex((value, i) => (header[i] ?? '') === '' && value.trim() !== '');
    let problem: string | undefined;
    if (fields.length < columns) {
      problem = `the row has ${fields.length} fields where the header has ${columns} (a missing comma, or an unclosed quote?)`;
    } else if (stray >= 0) {
      problem = `the row has a value ("${fields[stray]}") in field ${stray + 1}, which the header does not name (an extra comma?)`;
    }
    yield problem === undefined ? { line, record } : { line, record, problem };
  }
}

// ---------------------------------------------------------------------------------------------
// Progress: a bar on a terminal, a line every tenth otherwise (logs, CI).

interface ProgressReporter {
  update(progress: ImportProgress): void;
  stop(): void;
}

function progressReporter(label: string, total: number): ProgressReporter {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {imported} imported, {rejected} rejected | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { imported: 0, rejected: 0 });
    const onInterrupt = () => {
      bar.stop();
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    return {
      update: (p) => bar.update(p.imported + p.rejected, { imported: p.imported, rejected: p.rejected }),
      stop: () => {
        bar.stop();
        process.off('SIGINT', onInterrupt);
      },
    };
  }
  let nextTenth = 1;
  return {
    update(p) {
      if (total === 0) return;
      const done = p.imported + p.rejected;
      const tenth = Math.floor((done * 10) / total);
      if (tenth < nextTenth) return;
      nextTenth = tenth + 1;
      process.stderr.write(
        `${label}: ${Math.min(100, tenth * 10)}% (${done} of ${total} rows, ${p.imported} imported, ${p.rejected} rejected)\n`,
      );
    },
    stop() {},
  };
}

// ---------------------------------------------------------------------------------------------
// import accounts | import bills

interface ImportOptionsCli extends TargetOptions {
  rejects?: string;
  batchSize: number;
  concurrency: number;
}

const REJECTS_SHOWN = 10;

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
  const columns = ['line', 'reason', ...header.filter((name) => name !== '')];
  const text = stringify(
    result.rejects.map((reject) => ({ ...reject.record, line: reject.line, reason: reject.reason })),
    { header: true, columns },
  );
  // Mirrors the input: a BOM is what lets Excel open Korean or Russian text correctly.
  await writeFile(path, bom ? `\uFEFF${text}` : text, 'utf8');
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

  const client = createDocumentClient({ endpoint: options.endpoint, region: options.region });
  let result: ImportResult;
  try {
    const accounts = new DynamoAccountStore(client, tableOf(options));
    // One cheap read first: a wrong table or endpoint is reported before any row is processed.
    await accounts.existing([config.accountNumber.example]);
    const progress = progressReporter(`import ${kind}`, scanned.rows);
    const rows = importRows(path, file, scanned.header);
    const run = {
      batchSize: options.batchSize,
      concurrency: options.concurrency,
      onProgress: (p: ImportProgress) => progress.update(p),
    };
    try {
      result =
        kind === 'accounts'
          ? await importAccounts({ config, accounts }, rows, run)
          : await importBills(
              { config, accounts, bills: new DynamoBillStore(client, tableOf(options)) },
              rows,
              run,
            );
    } finally {
      progress.stop();
    }
  } catch (error) {
    throw explainDynamoError(error, options);
  } finally {
    client.destroy();
  }

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
  const out: string[] = [
    `Imported ${kind} from ${file} into ${describeTarget(options)} for ${config.id}.`,
    `  rows read  ${result.read}`,
    `  imported   ${result.imported}`,
    `  rejected   ${result.rejected}`,
    `  duration   ${seconds} s`,
  ];
  if (result.rejects.length > 0) {
    out.push(
      `  rejects    ${rejectsFile}`,
      '',
      `Rejected rows${result.rejected > REJECTS_SHOWN ? ` (first ${REJECTS_SHOWN})` : ''}:`,
    );
    for (const reject of result.rejects.slice(0, REJECTS_SHOWN))
      out.push(`  line ${reject.line}: ${reject.reason}`);
    if (result.rejected > REJECTS_SHOWN)
      out.push(`  ... ${result.rejected - REJECTS_SHOWN} more in ${rejectsFile}`);
  } else {
    out.push(`  rejects    none${staleRemoved ? ` (removed the old ${rejectsFile})` : ''}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return result.rejected > 0 ? EXIT.rejected : EXIT.ok;
}

const IMPORT_DESCRIPTIONS: Record<ImportKind, { summary: string; formats: string; example: string }> = {
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
      'Re-importing an account replaces it; phones no longer listed are unregistered.',
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
      '',
      'The account of every bill must exist. Re-importing a bill (same account and period) replaces it.',
    ].join('\n'),
    example:
      'npm run ops -- import bills bills-2026-03.csv --utility tyumen-power --rejects /tmp/rejects.csv',
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

function addImportCommand(program: Command): void {
  const command = new Command('import')
    .description('Load accounts or bills from a CSV file into the table (create or replace; safe to re-run)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        `  ${IMPORT_DESCRIPTIONS.accounts.example}`,
        `  ${IMPORT_DESCRIPTIONS.bills.example}`,
      ].join('\n'),
    );
  command.addCommand(importKindCommand('accounts'));
  command.addCommand(importKindCommand('bills'));
  program.addCommand(command);
}

// ---------------------------------------------------------------------------------------------
// Notices: who receives a month's bill notice, read from the sharded fan-out index (no scan).

interface RecipientsOptions extends TargetOptions {
  month: string;
  csv?: string;
}

async function runRecipients(options: RecipientsOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  if (!isPeriod(options.month)) throw new FatalError(`--month "${options.month}" is not a month as YYYY-MM.`);
  const client = createDocumentClient({ endpoint: options.endpoint, region: options.region });
  const deps = { config, subscriptions: new DynamoSubscriptionStore(client, tableOf(options)) };
  const started = performance.now();
  try {
    const shards = Array.from({ length: config.subscriptions.fanOutShards }, (_, shard) => shard);
    const perShard = await Promise.all(
      shards.map(async (shard) => {
        const found: Subscription[] = [];
        let cursor: string | undefined;
        do {
          const page = await noticeRecipients(deps, {
            month: options.month,
            shard,
            limit: 500,
            ...(cursor ? { cursor } : {}),
          });
          found.push(...page.items);
          cursor = page.cursor;
        } while (cursor);
        return found;
      }),
    );
    const all = perShard.flat();
    const byChannel = new Map<string, number>();
    for (const s of all) byChannel.set(s.channel, (byChannel.get(s.channel) ?? 0) + 1);
    process.stdout.write(
      [
        `Recipients of the ${options.month} bill notice in ${describeTarget(options)} for ${config.id}:`,
        `  total      ${all.length}`,
        ...[...byChannel].map(([channel, count]) => `  ${channel.padEnd(10)} ${count}`),
        `  per shard  ${perShard.map((s) => s.length).join(' ')}`,
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
  } catch (error) {
    throw explainDynamoError(error, options);
  } finally {
    client.destroy();
  }
}

function addNoticesCommand(program: Command): void {
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
  program.addCommand(new Command('notices').description('Bill-notice tasks').addCommand(recipients));
}

// ---------------------------------------------------------------------------------------------

function buildProgram(): Command {
  const program = new Command('ops')
    .description('UtilityDesk operations for utility staff: data imports, notice recipients and other tasks.')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Each command takes --utility, --table, --endpoint and --region (or UTILITYDESK_UTILITY,',
        'UTILITYDESK_TABLE, DYNAMODB_ENDPOINT and AWS_REGION).',
        '',
        'Example:',
        `  ${IMPORT_DESCRIPTIONS.accounts.example}`,
      ].join('\n'),
    );
  addImportCommand(program);
  addNoticesCommand(program);
  return program;
}

async function main(): Promise<void> {
  // Node 20 is the local runtime by design (Lambda runs nodejs24.x): the SDK's notice about it is noise for staff.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof FatalError || error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
    } else {
      process.stderr.write(
        `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = EXIT.fatal;
  }
}

// Run as a program; when imported (by tests) only the file reading is used.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
