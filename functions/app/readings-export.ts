// Use case: the counting readings of one reading window as CSV, for the utility's own billing system.
import { stringify } from 'csv-stringify/sync';
import { ValidationError } from '#domain/errors';
import { isPeriod } from '#domain/period';
import type { CountingReading, Deps } from './ports.ts';

/** The export's columns: the same cells `ops import readings` reads, and where each reading came from. */
export const READING_EXPORT_COLUMNS = ['account_number', 'meter', 'values', 'read_at', 'source'] as const;

const PAGE_SIZE = 500;

/** "1234" for the total register, "day=1234;night=187" otherwise: as the readings import writes values. */
const valuesCell = (values: Record<string, number>) => {
  const entries = Object.entries(values);
  return entries.length === 1 && entries[0]?.[0] === 'total'
    ? String(entries[0][1])
    : entries.map(([register, value]) => `${register}=${value}`).join(';');
};

/**
 * Every counting reading of window `period`, read from the window guards' period index one fan-out shard after
 * another (never a scan), as CSV sorted by account and meter. `onShard` reports each shard read to its end.
 */
export async function exportReadings(
  deps: Pick<Deps, 'config' | 'readings'>,
  request: {
    period: string;
    onShard?: (progress: { shardsDone: number; shards: number; rows: number }) => void;
  },
): Promise<{ csv: string; rows: number }> {
  if (!isPeriod(request.period)) {
    throw new ValidationError('The period is not YYYY-MM.', [
      { field: 'period', message: 'a month as YYYY-MM' },
    ]);
  }
  const shards = deps.config.subscriptions.fanOutShards;
  const found: CountingReading[] = [];
  for (let shard = 0; shard < shards; shard++) {
    let cursor: string | undefined;
    do {
      const page = await deps.readings.listCountingForPeriod(request.period, shard, {
        limit: PAGE_SIZE,
        cursor,
      });
      found.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    request.onShard?.({ shardsDone: shard + 1, shards, rows: found.length });
  }
  // Account numbers and meter ids are ASCII: plain comparison is the order a person expects.
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  found.sort((a, b) => order(a.accountNumber, b.accountNumber) || order(a.meterId, b.meterId));
  const csv = stringify(
    found.map((r) => [r.accountNumber, r.meterId, valuesCell(r.values), r.readAt, r.source]),
    { header: true, columns: [...READING_EXPORT_COLUMNS] },
  );
  return { csv, rows: found.length };
}
