// The resident's sign-in: the account token kept for this tab only (sessionStorage), dropped when it expires or
// the API says it is no longer good.
import type { ApiError } from '../shared/api.ts';

export interface AccountSession {
  accountNumber: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const KEY = 'utilitydesk.account';

export function loadSession(): AccountSession | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as AccountSession;
    if (typeof session.token !== 'string' || !(session.expiresAt > Date.now())) return undefined;
    return session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: AccountSession | undefined): void {
  try {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage blocked: the sign-in lasts as long as the page.
  }
}

/** Whether an API failure means the token is gone (expired, revoked, malformed). */
export function isSessionOver(error: unknown): boolean {
  const code = (error as ApiError | undefined)?.problem?.code;
  return code === 'token-expired' || code === 'invalid-token' || code === 'unauthenticated';
}
