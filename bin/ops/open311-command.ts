// ops open311 keys: issue, list and revoke the api_keys Open311 partners file complaints with.
import { Command } from 'commander';
import { systemClock } from '#adapters/clock';
import { DynamoOpen311KeyStore } from '#adapters/dynamo/open311-key-store';
import { issueOpen311Key, listOpen311Keys, revokeOpen311Key } from '#app/open311-keys';
import { AppError } from '#domain/errors';
import { EXIT, FatalError } from './exit.ts';
import { addTargetOptions, describeTarget, type TargetOptions, withTable } from './target.ts';

interface IssueOptions extends TargetOptions {
  name: string;
}

interface ListOptions extends TargetOptions {
  json?: boolean;
}

const storeOn = (
  options: TargetOptions,
  work: (deps: Parameters<typeof listOpen311Keys>[0]) => Promise<number>,
) => withTable(options, (client, table) => work({ open311Keys: new DynamoOpen311KeyStore(client, table) }));

async function issue(options: IssueOptions): Promise<number> {
  const name = options.name.trim();
  if (name.length === 0 || name.length > 100)
    throw new FatalError('--name is who the key is for, 1 to 100 characters (e.g. "Seoul Smart City app").');
  return storeOn(options, async (stores) => {
    const { record, key } = await issueOpen311Key({ ...stores, clock: systemClock }, name);
    process.stdout.write(
      [
        `Issued Open311 key ${record.id} for "${record.name}" in ${describeTarget(options)}.`,
        `api_key: ${key}`,
        'Hand it to the partner now: only its hash is stored, so it cannot be shown again.',
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  });
}

async function list(options: ListOptions): Promise<number> {
  return storeOn(options, async (stores) => {
    const keys = await listOpen311Keys(stores);
    if (options.json) {
      // The hash is of no use to staff and would only help someone guessing keys offline.
      const shown = keys.map(({ hash: _hash, ...rest }) => rest);
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      return EXIT.ok;
    }
    const lines = keys.map(
      (k) =>
        `  ${k.id.padEnd(12)} ${(k.revokedAt ? `revoked ${k.revokedAt}` : 'active').padEnd(34)} ${k.createdAt}  ${k.name}`,
    );
    process.stdout.write(
      [`Open311 keys in ${describeTarget(options)}: ${keys.length}`, ...lines, ''].join('\n'),
    );
    return EXIT.ok;
  });
}

async function revoke(id: string, options: TargetOptions): Promise<number> {
  return storeOn(options, async (stores) => {
    try {
      const key = await revokeOpen311Key({ ...stores, clock: systemClock }, id);
      process.stdout.write(`Open311 key ${key.id} ("${key.name}") is revoked since ${key.revokedAt}.\n`);
      return EXIT.ok;
    } catch (error) {
      if (error instanceof AppError) throw new FatalError(error.message);
      throw error;
    }
  });
}

export function addOpen311Command(program: Command): void {
  const issueCommand = new Command('issue')
    .description('Issue an api_key for a partner; it is printed once and only its hash is stored')
    .requiredOption('--name <who>', 'who the key is for, e.g. "Seoul Smart City app"');
  addTargetOptions(issueCommand)
    .addHelpText(
      'after',
      [
        '',
        'Example (the local runtime, npm start):',
        '  npm run ops -- open311 keys issue --name "Seoul Smart City app" --endpoint http://127.0.0.1:8000',
      ].join('\n'),
    )
    .action(async (options: IssueOptions) => {
      process.exitCode = await issue(options);
    });
  const listCommand = new Command('list')
    .description('List the keys (id, active or revoked, issued, name); never the keys themselves')
    .option('--json', 'print the list as JSON');
  addTargetOptions(listCommand).action(async (options: ListOptions) => {
    process.exitCode = await list(options);
  });
  const revokeCommand = new Command('revoke')
    .description('Revoke a key by its id: requests with it are refused (403) from then on')
    .argument('<id>', 'the key id that issue and list print');
  addTargetOptions(revokeCommand).action(async (id: string, options: TargetOptions) => {
    process.exitCode = await revoke(id, options);
  });
  program.addCommand(
    new Command('open311')
      .description('Open311 GeoReport v2 partners')
      .addCommand(
        new Command('keys')
          .description("Partners' api_keys: issue, list, revoke")
          .addCommand(issueCommand)
          .addCommand(listCommand)
          .addCommand(revokeCommand),
      ),
  );
}
