// Page cursors: one opaque, versioned token format for every paginated list, decoded by the adapter alone.
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { InvalidCursorError, type Page, type PageRequest } from '#app/ports';
import { PERIOD_PATTERN } from '#domain/period';

const VERSION = 1;
/** Longer than any cursor this codec makes: anything longer is refused before it is decoded. */
const MAX_LENGTH = 400;

const envelope = z.strictObject({ v: z.literal(VERSION), k: z.string(), p: z.unknown() });

/**
 * A cursor names, in the list's own terms, the last item a page returned (a period, a time and an id);
 * never a table key, so clients learn nothing of the table and a forged cursor can only name a position.
 */
export interface CursorCodec<P> {
  encode(position: P): string;
  /** The position, or InvalidCursorError for anything this codec did not make for this list. */
  decode(cursor: string): P;
}

export function cursorCodec<P>(list: string, position: z.ZodType<P>): CursorCodec<P> {
  return {
    encode: (p) => Buffer.from(JSON.stringify({ v: VERSION, k: list, p })).toString('base64url'),
    decode: (cursor) => {
      if (cursor.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
      let raw: unknown;
      try {
        raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw new InvalidCursorError();
      }
      const outer = envelope.safeParse(raw);
      if (!outer.success || outer.data.k !== list) throw new InvalidCursorError();
      const inner = position.safeParse(outer.data.p);
      if (!inner.success) throw new InvalidCursorError();
      return inner.data;
    },
  };
}

const period = z.string().regex(PERIOD_PATTERN);
const id = z.string().min(1).max(64);
const instant = z.iso.datetime({ offset: true });

/** Every paginated list's codec: the position of its last item, in the list's own terms. */
export const listCursors = {
  bills: cursorCodec('bills', z.strictObject({ period })),
  readings: cursorCodec('readings', z.strictObject({ period, submittedAt: instant, id })),
  accountSubscriptions: cursorCodec('account-subscriptions', z.strictObject({ createdAt: instant, id })),
  noticeRecipients: cursorCodec('notice-recipients', z.strictObject({ effectiveMonth: period, id })),
  allSubscriptions: cursorCodec('all-subscriptions', z.strictObject({ id })),
  districtSubscribers: cursorCodec('district-subscribers', z.strictObject({ id })),
  billingAccounts: cursorCodec(
    'billing-accounts',
    z.strictObject({ accountNumber: z.string().min(1).max(32) }),
  ),
  billingFailures: cursorCodec(
    'billing-failures',
    z.strictObject({ accountNumber: z.string().min(1).max(32) }),
  ),
  unpaidBills: cursorCodec(
    'unpaid-bills',
    z.strictObject({ accountNumber: z.string().min(1).max(32), period }),
  ),
  complaintQueue: cursorCodec('complaint-queue', z.strictObject({ at: instant, id })),
  announcements: cursorCodec('announcements', z.strictObject({ sendAt: instant, id })),
  runAccounts: cursorCodec('run-accounts', z.strictObject({ accountNumber: z.string().min(1).max(40) })),
  periodReadings: cursorCodec(
    'period-readings',
    z.strictObject({ accountNumber: z.string().min(1).max(32), meterId: z.string().min(1).max(40) }),
  ),
};

/**
 * One page of a query, newest first or as `input` orders it: it asks for one item more than the page, so the
 * last page says so at once (no cursor) instead of handing out a cursor to an empty page.
 */
export async function queryPage<P>(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  page: PageRequest,
  cursors: CursorCodec<P> & {
    /** The table (and index) key of the item at a position: where the next page starts after. */
    startKey(position: P): Record<string, string>;
    /** The position of a returned item. */
    positionOf(item: Record<string, unknown>): P;
  },
): Promise<Page<Record<string, unknown>>> {
  const start = page.cursor === undefined ? undefined : cursors.startKey(cursors.decode(page.cursor));
  const result = await client.send(
    new QueryCommand({ ...input, Limit: page.limit + 1, ExclusiveStartKey: start }),
  );
  const items = (result.Items ?? []).slice(0, page.limit);
  const last = items[items.length - 1];
  // A page cut short by DynamoDB's 1 MB limit also has more after it.
  const more = (result.Items?.length ?? 0) > page.limit || result.LastEvaluatedKey !== undefined;
  return { items, cursor: more && last ? cursors.encode(cursors.positionOf(last)) : undefined };
}
