// The ops CLI for utility staff (`npm run ops -- <command>`): each command is a module in bin/ops/ that adds itself here.
import { Command } from 'commander';
import { ConfigError } from '#config/schema';
import { addBillingCommand } from './ops/billing-command.ts';
import { EXIT, FatalError } from './ops/exit.ts';
import { addExportCommand } from './ops/export-command.ts';
import { addImportCommand, IMPORT_DESCRIPTIONS } from './ops/import-command.ts';
import { addMigrateCommand } from './ops/migrate-command.ts';
import { addNoticesCommand } from './ops/notices-command.ts';
import { addOpen311Command } from './ops/open311-command.ts';
import { addRedriveCommand } from './ops/redrive-command.ts';

function buildProgram(): Command {
  const program = new Command('ops')
    .description(
      'UtilityDesk operations for utility staff: data imports, notice recipients, data migrations, dead-letter redrives and other tasks.',
    )
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Each command that reads the table takes --utility, --table, --endpoint and --region (or UTILITYDESK_UTILITY,',
        'UTILITYDESK_TABLE, DYNAMODB_ENDPOINT and AWS_REGION).',
        '',
        'Example:',
        `  ${IMPORT_DESCRIPTIONS.accounts.example}`,
      ].join('\n'),
    );
  addImportCommand(program);
  addNoticesCommand(program);
  addBillingCommand(program);
  addMigrateCommand(program);
  addRedriveCommand(program);
  addExportCommand(program);
  addOpen311Command(program);
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

await main();
