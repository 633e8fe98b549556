// `npm start`: the whole system on this machine, with demo data, DynamoDB Local and the local SMS gateway.
import { Command, InvalidArgumentError } from 'commander';
import { startingClock, systemClock } from '#adapters/clock';
import { availableUtilities, loadUtilityConfig } from '#config/load';
import { localDateTime, parseInstant } from '#domain/calendar';
import { buildPortal } from './local/build-portal.ts';
import { startRuntime } from './local/runtime.ts';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port number from 0 to 65535');
  return n;
};

const program = new Command('npm start --')
  .description('Run UtilityDesk locally: DynamoDB Local, demo data, the HTTP API and a local SMS gateway.')
  .option('--utility <id>', `which utility to run (${availableUtilities().join(' | ')})`, 'seoul-water')
  .option('--port <n>', 'HTTP port on 127.0.0.1', port, 3000)
  .option('--data <dir>', 'keep DynamoDB data in this folder (default: in memory, gone on exit)')
  .option('--dynamo-port <n>', 'DynamoDB Local port (default: a free one)', port)
  .option(
    '--now <time>',
    'start the clock here: local time of the utility (2026-12-16T10:00) or an ISO instant',
  )
  .option('--accounts <n>', 'demo accounts to seed', (v) => Number.parseInt(v, 10), 240)
  .addHelpText(
    'after',
    `
Examples:
  npm start
  npm start -- --utility tyumen-power --now 2026-12-16T10:00
  npm start -- --data .data/seoul --port 3100`,
  );

async function main() {
  // Node 20 is the local runtime by design (Lambda runs nodejs24.x): the SDK's notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  program.parse();
  const options = program.opts<{
    utility: string;
    port: number;
    data?: string;
    dynamoPort?: number;
    now?: string;
    accounts: number;
  }>();
  const config = loadUtilityConfig(options.utility);
  let clock = systemClock;
  if (options.now) {
    const start = parseInstant(options.now, config.timeZone);
    if (!start)
      throw new Error(
        `--now "${options.now}" is neither a local date-time (2026-12-16T10:00) nor an ISO instant.`,
      );
    clock = startingClock(start);
  }
  const print = (line: string) => console.log(line);
  console.log('Building the portal (portal/ -> portal/dist)…');
  await buildPortal();
  console.log(
    `Starting UtilityDesk for ${config.id} (DynamoDB Local${options.data ? ` in ${options.data}` : ', in memory'})…`,
  );
  const runtime = await startRuntime({
    config,
    clock,
    port: options.port,
    dataDir: options.data,
    dynamoPort: options.dynamoPort,
    demoAccounts: options.accounts,
    print,
  });
  const demo = runtime.demo();
  const hasMessenger = config.channels.messenger.provider !== 'none';
  const lines = [
    '',
    `UtilityDesk is running: ${runtime.url}`,
    `  portal       ${runtime.url}/   (staff console: ${runtime.url}/admin/)`,
    `  utility      ${config.id} (${config.name.en ?? config.id}), ${config.timeZone}, ${config.currency}`,
    `  local time   ${localDateTime(clock.now(), config.timeZone)}`,
    `  DynamoDB     ${runtime.dynamoEndpoint} (table ${runtime.tableName})`,
    runtime.seeded
      ? `  demo data    ${runtime.seeded.accounts} accounts, ${runtime.seeded.bills} bills`
      : '  demo data    kept from the data folder',
    `  SMS number   ${config.smsNumber} (simulate with POST /_local/sms; sent SMS: GET /_local/outbox)`,
    hasMessenger
      ? '  messenger    local stand-in: phones ending in 7 are no users (sent: GET /_local/outbox?channel=messenger)'
      : '  messenger    none (notices go by SMS)',
    '  delivery     local carrier: every SMS delivered, except to phones ending in 3 (unreachable); see ops notices report',
    '  e-mail       sent e-mails (reading confirmations): GET /_local/email',
    `  staff        a token for the /admin/ routes: POST /_local/staff-token {"role":"admin"|"staff","districts":[...]}`,
    `  billing      ${config.billing.engine} engine; exchange folder ${runtime.billingExchange.dir} (readings/ out; bills: POST /_local/billing/drop?name=F.csv)`,
    `  photos       complaint photo folder ${runtime.photoBucket.dir} (forms post to POST /_local/photo-uploads)`,
    '',
    'Demo accounts (each with a registered phone):',
    ...demo.accounts.map(
      (a) =>
        `  ${a.accountNumber}  phone ${a.phone}${hasMessenger && !a.messengerUser ? ' (no messenger)' : ''}  ${a.paymentMethod}  ${a.meters.map((m) => `${m.id} ${m.kind}`).join(', ')}`,
    ),
    '',
    `Try:  curl -s -X POST ${runtime.url}/auth/otp -H 'content-type: application/json' -d '{"accountNumber":"${demo.accounts[0]?.accountNumber}","phone":"${demo.accounts[0]?.phone}"}'`,
    'Press Ctrl+C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping…');
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
