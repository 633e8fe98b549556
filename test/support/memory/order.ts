// The table's order of keys and its page cursors, shared by the in-memory stores so they page as DynamoDB does.

import type { CursorCodec } from '#adapters/dynamo/cursor';
import type { Page, PageRequest } from '#app/ports';

/**
 * DynamoDB orders string keys by their UTF-8 bytes, which is code point order: not a locale's (`localeCompare`
 * puts 'a' before 'B'), nor plain `<` (UTF-16 puts U+10000 and above before U+E000..U+FFFF).
 */
export function byKeyOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** A UTF-16 unit's place in code point order: surrogates stand for code points above U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2800 : unit;
}

/**
 * One page of `items` (already in the list's order, each with its sort key), as the adapters' `queryPage` cuts it:
 * after the cursor's key, `limit` items, and a cursor only when more follow.
 */
export function pageOf<T, P>(
  sorted: Array<{ key: string; item: T }>,
  page: PageRequest,
  cursors: CursorCodec<P> & { keyOf(position: P): string; positionOf(item: T): P },
  direction: 'ascending' | 'descending',
): Page<T> {
  const start = page.cursor === undefined ? undefined : cursors.keyOf(cursors.decode(page.cursor));
  const after =
    start === undefined
      ? sorted
      : sorted.filter(({ key }) => (direction === 'ascending' ? 1 : -1) * byKeyOrder(key, start) > 0);
  const items = after.slice(0, page.limit).map(({ item }) => item);
  const last = items[items.length - 1];
  return after.length > page.limit && last !== undefined
    ? { items, cursor: cursors.encode(cursors.positionOf(last)) }
    : { items };
}

/** Sorts entries by key in the given direction (as a forward or a reverse Query reads them). */
export function sortedByKey<T>(
  entries: Array<{ key: string; item: T }>,
  direction: 'ascending' | 'descending',
): Array<{ key: string; item: T }> {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...entries].sort((a, b) => sign * byKeyOrder(a.key, b.key));
}
