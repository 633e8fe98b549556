// What every console page is given: the texts, formats, the utility, who is signed in, and the API call that
// carries the staff token (a 401 from it ends the session); plus how pages turn API problems into messages.
import { ApiError, type RequestOptions } from '../shared/api.ts';
import type { Formats } from '../shared/format.ts';
import type { Translate } from '../shared/i18n.ts';
import type { Route } from '../shared/router.ts';
import { problemText } from '../shared/ui.tsx';
import type { Utility } from '../shared/utility.ts';
import { type Key, strings } from './strings.ts';
import { fieldProblemText } from './text-problems.ts';

export interface StaffProfile {
  subject: string;
  roles: string[];
  districts: string[];
  allDistricts: boolean;
  visibleDistricts: string[];
}

export interface Desk {
  t: Translate<Key>;
  language: string;
  utility: Utility;
  me: StaffProfile;
  fmt: Formats;
  call<T>(path: string, options?: RequestOptions): Promise<T>;
  districtName(code: string): string;
}

export interface PageProps {
  desk: Desk;
  route: Route;
}

/** A status, kind or method code as its text: `label(t, 'st_', 'in_progress')`; the code itself when unknown. */
export function label(t: Translate<Key>, prefix: string, code: string): string {
  const key = `${prefix}${code}`;
  return key in strings.en ? t(key as Key) : code;
}

/** An API failure as the message the page shows: the localized text of its code, else the server's detail. */
export function problemMessage(t: Translate<Key>, error: unknown): string {
  return problemText(
    error,
    (code) => {
      const key = `p_${code}`;
      return key in strings.en ? t(key as Key) : undefined;
    },
    t('errorTitle'),
  );
}

/**
 * The fields a problem names (`body.texts.ko` -> `texts.ko`, `header.idempotency-key` as is), with the server's
 * message (said in the console's language where `desk` is given and the item's code is known), plus the field a
 * whole-request code belongs to (e.g. `overpayment` -> `amount`) with its localized text.
 */
export function fieldProblems(
  t: Translate<Key>,
  error: unknown,
  codeFields: Record<string, string> = {},
  desk?: Pick<Desk, 'fmt' | 'language'>,
): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const found: Record<string, string> = {};
  for (const item of error.problem.errors ?? []) {
    found[item.field.replace(/^body\./, '')] ??= desk ? fieldProblemText({ ...desk, t }, item) : item.message;
  }
  const field = codeFields[error.problem.code];
  if (field) found[field] = problemMessage(t, error);
  return found;
}

/** The message for a field, or for any part of it (`districts` takes `districts.0`). */
export function errorFor(problems: Record<string, string>, field: string): string | undefined {
  return problems[field] ?? Object.entries(problems).find(([name]) => name.startsWith(`${field}.`))?.[1];
}

/** The UTC instant of a wall-clock time (2026-12-01T09:30) in a time zone, with its offset written out. */
export function zonedInstant(wall: string, timeZone: string): string | undefined {
  const guess = Date.parse(`${wall.length === 16 ? `${wall}:00` : wall}Z`);
  if (Number.isNaN(guess)) return undefined;
  const offset = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return (
      Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - at
    );
  };
  // Twice, so a wall time next to a change of offset lands on the offset in force at that time.
  const first = guess - offset(guess);
  return new Date(guess - offset(first)).toISOString();
}

/** The wall-clock time (for a datetime-local field) of an instant in a time zone. */
export function wallTime(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
  return text.replace(' ', 'T');
}

/** After a form is refused in the page: the first field marked invalid takes focus, so its error is read out. */
export function focusFirstInvalid(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.focus());
}
