// ops export readings: the counting readings of one reading window as CSV, to stdout or a file.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { DynamoReadingStore } from '#adapters/dynamo/reading-store';
import { exportReadings } from '#app/readings-export';
import { loadUtilityConfig } from '#config/load';
import { isPeriod } from '#domain/period';
import { EXIT, FatalError } from './exit.ts';
import { progressReporter } from './progress.ts';
import { addTargetOptions, describeTarget, type TargetOptions, withTable } from './target.ts';

interface ExportOptions extends TargetOptions {
  period: string;
  out?: string;
}

const EXAMPLE =
  'npm run ops -- export readings --period 2026-12 --out readings-2026-12.csv --utility tyumen-power';

async function runExport(options: ExportOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  if (!isPeriod(options.period))
    throw new FatalError(`--period "${options.period}" is not a month as YYYY-MM (e.g. 2026-12).`);
  const started = performance.now();
  const { csv, rows } = await withTable(options, async (client, table) => {
    const progress = progressReporter(
      'export readings',
      config.subscriptions.fanOutShards,
      'shards',
      '0 readings',
    );
    try {
      return await exportReadings(
        { config, readings: new DynamoReadingStore(client, table) },
        { period: options.period, onShard: (p) => progress.update(p.shardsDone, `${p.rows} readings`) },
      );
    } finally {
      progress.stop();
    }
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary = `Exported ${rows} readings of window ${options.period} from ${describeTarget(options)} for ${config.id} in ${seconds} s`;
  if (options.out) {
    // `npm run` starts in the package root; paths are meant from where the person typed the command.
    await writeFile(resolve(process.env.INIT_CWD ?? process.cwd(), options.out), csv, 'utf8');
    process.stdout.write(`${summary} to ${options.out}.\n`);
  } else {
    process.stdout.write(csv);
    process.stderr.write(`${summary}.\n`);
  }
  return EXIT.ok;
}

export function addExportCommand(program: Command): void {
  const readings = new Command('readings')
    .description("The counting readings of a reading window as CSV (for the utility's own billing system)")
    .requiredOption('--period <YYYY-MM>', "the window's month")
    .option('--out <file>', 'write the CSV to this file (default: stdout)');
  addTargetOptions(readings);
  readings
    .addHelpText(
      'after',
      [
        '',
        'Columns: account_number, meter, values (1234 or day=1234;night=187), read_at (local date), source.',
        'Read from the window guards on their period index, shard by shard (no scan).',
        '',
        'Example:',
        `  ${EXAMPLE}`,
      ].join('\n'),
    )
    .action(async (options: ExportOptions) => {
      process.exitCode = await runExport(options);
    });
  program.addCommand(
    new Command('export')
      .description('Export data from the table as CSV (readings of a window)')
      .addCommand(readings),
  );
}
