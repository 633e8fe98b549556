// `npm run bench`: runs every benchmark in turn; each prints its own figures.
import { spawnSync } from 'node:child_process';

const benches = [
  'bench/bill-lookup.ts',
  'bench/sms-intake.ts',
  'bench/notices.ts',
  'bench/billing.ts',
  'bench/complaints.ts',
];
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', bench], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
