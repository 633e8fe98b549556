// ops migrate subscriptions: bring a deployment's existing subscriptions under this version's rules (once, after deploy).
import { Command, Option } from 'commander';
import { systemClock } from '#adapters/clock';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { migrateSubscriptions, noMigrationCounts, type SubscriptionMigrationCounts } from '#app/migrations';
import { loadUtilityConfig } from '#config/load';
import { EXIT } from './exit.ts';
import { progressCounter } from './progress.ts';
import { addTargetOptions, describeTarget, type TargetOptions, withTable } from './target.ts';

interface MigrateOptions extends TargetOptions {
  dryRun?: boolean;
}

/** A line of progress (when not on a terminal) every this many subscriptions. */
const PROGRESS_EVERY = 1000;
const BUSY_SHOWN = 10;

const EXAMPLE = 'npm run ops -- migrate subscriptions --dry-run --utility seoul-water';

function detail(counts: SubscriptionMigrationCounts, dryRun: boolean): string {
  const ended = Object.values(counts.ended).reduce((sum, n) => sum + n, 0);
  return dryRun
    ? `${ended} to end, ${counts.pointersRewritten} pointers to rewrite, ${counts.districtsIndexed} to index by district`
    : `${ended} ended, ${counts.pointersRewritten} pointers rewritten, ${counts.districtsIndexed} indexed by district`;
}

async function runMigrateSubscriptions(options: MigrateOptions): Promise<number> {
  const config = loadUtilityConfig(options.utility);
  const dryRun = options.dryRun ?? false;
  const started = performance.now();
  const report = await withTable(options, async (client, table) => {
    const progress = progressCounter(
      dryRun ? 'migrate subscriptions (dry run)' : 'migrate subscriptions',
      'subscriptions',
      PROGRESS_EVERY,
      detail(noMigrationCounts(), dryRun),
    );
    try {
      return await migrateSubscriptions(
        {
          config,
          subscriptions: new DynamoSubscriptionStore(client, table),
          accounts: new DynamoAccountStore(client, table),
          clock: systemClock,
        },
        { dryRun, onPage: (p) => progress.update(p.examined, detail(p, dryRun)) },
      );
    } finally {
      progress.stop();
    }
  });
  const row = (label: string, value: string | number) => `  ${label.padEnd(28)} ${value}`;
  const out = [
    dryRun
      ? `Dry run over ${describeTarget(options)} for ${config.id}: nothing was written.`
      : `Migrated the subscriptions in ${describeTarget(options)} for ${config.id}.`,
    row('examined', report.examined),
    row(
      dryRun ? 'to end: unregistered phone' : 'ended: unregistered phone',
      report.ended['unregistered-phone'],
    ),
    row(dryRun ? 'pointers to rewrite' : 'pointers rewritten', report.pointersRewritten),
    row(dryRun ? 'to index by district' : 'indexed by district', report.districtsIndexed),
    row('already fine', report.alreadyFine),
    row('busy', report.busy),
    row('duration', `${((performance.now() - started) / 1000).toFixed(1)} s`),
  ];
  if (report.busy > 0) {
    out.push(
      '',
      `These subscriptions kept changing while they were being ended${report.busy > BUSY_SHOWN ? ` (first ${BUSY_SHOWN})` : ''}; run the command again:`,
      ...report.busyIds.slice(0, BUSY_SHOWN).map((id) => `  ${id}`),
    );
  } else if (dryRun && report.examined > report.alreadyFine) {
    out.push('', 'Run it again without --dry-run to make these changes.');
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return report.busy > 0 ? EXIT.rejected : EXIT.ok;
}

export function addMigrateCommand(program: Command): void {
  const subscriptions = new Command('subscriptions')
    .description(
      'End the subscriptions of phones not registered on their account that the holder did not add, and list ' +
        'every subscription on its account in the current (newest first) form; run once after deploying this version',
    )
    .addOption(new Option('--dry-run', 'read everything and report what would change; write nothing'));
  addTargetOptions(subscriptions);
  subscriptions
    .addHelpText(
      'after',
      [
        '',
        'Walks every subscription of the table (a Scan: an ops-only read of the whole table, page by page).',
        "A subscription whose phone is not registered on its account (the account profile's phones) and",
        'that the account holder did not add ends: status ended, endedBy ops, endedReason unregistered-phone',
        '(active, pending and opted-out ones alike; ended ones stay as they are). Its place on the account',
        'is freed and it leaves the notice run. Pointers listing a subscription on its account in the old',
        'form (without the creation time) are replaced by the current form.',
        '',
        'Run it once right after deploying this version (from then on sign-ups cannot add such phones),',
        'with --dry-run first. Re-running it changes nothing.',
        '',
        'Exit code 0: done; 2: some subscriptions kept changing while they were being ended (listed;',
        'run it again); 1: nothing could be done (table or endpoint unreachable).',
        '',
        'Examples:',
        `  ${EXAMPLE}`,
        '  npm run ops -- migrate subscriptions --utility seoul-water',
        '  npm run ops -- migrate subscriptions --endpoint http://127.0.0.1:8000',
      ].join('\n'),
    )
    .action(async (options: MigrateOptions) => {
      process.exitCode = await runMigrateSubscriptions(options);
    });
  program.addCommand(
    new Command('migrate')
      .description('Bring existing data under the rules of a new version (run once after deploying it)')
      .addHelpText('after', ['', 'Example:', `  ${EXAMPLE}`].join('\n'))
      .addCommand(subscriptions),
  );
}
