// Use case: import a bill file the utility's billing system dropped, once per object version, by the rules of `ops import bills`.
import { AppError } from '#domain/errors';
import { importBills } from './import.ts';
import { csvTextRows, rejectsCsv } from './import-csv.ts';
import type { BillDrop, BillDropSummary, Deps } from './ports.ts';

/** Where the utility's billing system drops bill files; only .csv objects there are imported. */
export const BILL_DROP_PREFIX = 'bills/incoming/';

/**
 * The largest drop imported in one go: about 20,000 bill rows, written well within the consumer's 30 s. A bigger
 * file is refused with this reason in its rejects file; the utility's system splits it (any number of files).
 */
export const MAX_DROP_BYTES = 4 * 1024 * 1024;

/** Another import holds the drop (a duplicate event delivered at the same time): try again later. */
export class BillDropBusyError extends AppError {
  constructor(drop: BillDrop) {
    super(
      'conflict',
      'bill-drop-in-progress',
      `${drop.key} (version ${drop.version}) is being imported right now.`,
    );
    this.name = 'BillDropBusyError';
  }
}

export type BillDropOutcome =
  | { outcome: 'imported' | 'already-imported'; summary: BillDropSummary }
  | { outcome: 'ignored'; reason: string };

/** "bills/incoming/2026-03.csv" -> "2026-03.csv": the name its rejects and processed copy keep. */
export function dropName(key: string): string {
  return key.slice(BILL_DROP_PREFIX.length);
}

/** Whether the key is a bill file drop: a .csv object directly or deeper under bills/incoming/. */
function isDropKey(key: string): boolean {
  return key.startsWith(BILL_DROP_PREFIX) && key.toLowerCase().endsWith('.csv') && dropName(key) !== '.csv';
}

type DropDeps = Pick<Deps, 'config' | 'clock' | 'accounts' | 'bills' | 'billDrops' | 'billDropFiles'>;

/**
 * Imports the drop unless this version was imported before (an S3 event may come twice): the good rows become
 * bills (source "import", announced by the bill notices like any other), the rejected rows go to
 * bills/rejects/<name>, and the file moves to bills/processed/<name>. A failure part-way leaves no done marker, so
 * the event's redelivery imports the file again; bills are replaced by account and period, so nothing doubles.
 */
export async function importBillDrop(deps: DropDeps, drop: BillDrop): Promise<BillDropOutcome> {
  if (!isDropKey(drop.key)) {
    return { outcome: 'ignored', reason: `${drop.key} is not a .csv file under ${BILL_DROP_PREFIX}` };
  }
  const claim = await deps.billDrops.claim(drop, deps.clock.now().getTime());
  if (claim.state === 'in-progress') throw new BillDropBusyError(drop);
  if (claim.state === 'done') {
    // The first import may have stopped between its done marker and the move.
    await deps.billDropFiles.archive(drop);
    return { outcome: 'already-imported', summary: claim.summary };
  }
  let summary: BillDropSummary;
  try {
    summary = await importFile(deps, drop);
    await deps.billDrops.complete(drop, claim.claimedAt, summary);
  } catch (error) {
    await deps.billDrops.release(drop, claim.claimedAt);
    throw error;
  }
  await deps.billDropFiles.archive(drop);
  return { outcome: 'imported', summary };
}

async function importFile(deps: DropDeps, drop: BillDrop): Promise<BillDropSummary> {
  const importedAt = () => deps.clock.now().toISOString();
  const refuse = async (refused: string): Promise<BillDropSummary> => {
    const rejects = await deps.billDropFiles.putRejects(
      drop,
      rejectsCsv([], [{ line: 1, reason: refused, record: {} }], false),
    );
    return { read: 0, imported: 0, rejected: 0, rejects, refused, importedAt: importedAt() };
  };
  const bytes = await deps.billDropFiles.read(drop);
  if (!bytes)
    return refuse(`${drop.key} (version ${drop.version}) is no longer there: nothing was imported.`);
  if (bytes.length > MAX_DROP_BYTES) {
    return refuse(
      `The file has ${bytes.length} bytes, more than the ${MAX_DROP_BYTES} one drop may have: split it into several files.`,
    );
  }
  const csv = csvTextRows('bills', bytes);
  if (!csv.ok) return refuse(csv.problem);
  const result = await importBills(deps, csv.rows);
  const rejects =
    result.rejects.length > 0
      ? await deps.billDropFiles.putRejects(drop, rejectsCsv(csv.header, result.rejects, csv.bom))
      : undefined;
  return {
    read: result.read,
    imported: result.imported,
    rejected: result.rejected,
    ...(rejects ? { rejects } : {}),
    importedAt: importedAt(),
  };
}
