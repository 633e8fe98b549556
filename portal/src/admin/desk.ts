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
  /** A complaint type's name in the page's language; the API's name (the utility's language) for a type not listed. */
  typeName(complaint: { type: string; typeName: string }): string;
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

/** After a form is refused in the page: the first field marked invalid takes focus, so its error is read out. */
export function focusFirstInvalid(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.focus());
}
