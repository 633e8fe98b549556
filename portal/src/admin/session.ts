// A staff member's sign-in: locally a token from the local issuer; in AWS the user pool's hosted sign-in with the
// authorization code grant and PKCE. The tokens live in sessionStorage, so they end with the browser tab.
import type { PortalConfig } from '../shared/api.ts';

type Cognito = Extract<PortalConfig['staffSignIn'], { kind: 'cognito' }>;

export interface StaffSession {
  /** The access token the API's JWT authorizer checks. */
  accessToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const SESSION_KEY = 'utilitydesk.staff.session';
const PKCE_KEY = 'utilitydesk.staff.pkce';

function storage(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}

export function storedSession(): StaffSession | undefined {
  const raw = storage()?.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Partial<StaffSession>;
    if (typeof session.accessToken === 'string' && typeof session.expiresAt === 'number') {
      return session.expiresAt > Date.now() ? (session as StaffSession) : undefined;
    }
  } catch {
    // A damaged entry is the same as none.
  }
  return undefined;
}

function keep(session: StaffSession): StaffSession {
  storage()?.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function forgetSession(): void {
  storage()?.removeItem(SESSION_KEY);
}

/** Local development: the local issuer signs a token for the role and districts chosen on the form. */
export async function signInLocally(
  tokenPath: string,
  base: string,
  role: 'admin' | 'staff',
  districts: string[],
): Promise<StaffSession> {
  const response = await fetch(`${base}${tokenPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, districts: districts.length > 0 ? districts : undefined }),
    credentials: 'omit',
  });
  if (!response.ok) throw new Error(`staff token: HTTP ${response.status}`);
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error('staff token: no token');
  // The local issuer's tokens live an hour of the runtime's clock; the page re-signs on the first 401 anyway.
  return keep({ accessToken: body.token, expiresAt: Date.now() + 55 * 60_000 });
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function origin(domain: string): string {
  return domain.startsWith('https://') ? domain.replace(/\/$/, '') : `https://${domain}`;
}

/**
 * Where the hosted sign-in sends staff back: this page's own origin, so the state and verifier this tab keeps are
 * there on return (a console opened on the CloudFront address and on the custom domain are both registered).
 */
function returnAddress(config: Cognito): string {
  return location.origin.startsWith('https://') ? `${location.origin}/admin/` : config.redirectUri;
}

/** Sends the browser to the hosted sign-in; the state and code verifier wait in sessionStorage for the return. */
export async function startHostedSignIn(config: Cognito): Promise<void> {
  const state = randomText(24);
  const verifier = randomText(48);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  storage()?.setItem(PKCE_KEY, JSON.stringify({ state, verifier }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: returnAddress(config),
    scope: config.scopes.join(' '),
    state,
    code_challenge_method: 'S256',
    code_challenge: base64url(new Uint8Array(digest)),
  });
  location.assign(`${origin(config.domain)}/oauth2/authorize?${query}`);
}

/**
 * Back from the hosted sign-in (?code=…&state=…): the code exchanged for tokens when the state is the one this tab
 * sent. Undefined when the page was not opened by a sign-in; throws when the sign-in failed or was tampered with.
 */
export async function finishHostedSignIn(config: Cognito): Promise<StaffSession | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const returned = params.get('state');
  if (!code && !params.get('error')) return undefined;
  const pending = storage()?.getItem(PKCE_KEY);
  storage()?.removeItem(PKCE_KEY);
  // The code is single-use: take it out of the address bar (and the history) before anything else.
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  const saved = pending ? (JSON.parse(pending) as { state?: string; verifier?: string }) : {};
  if (!code || !saved.verifier || saved.state !== returned) throw new Error('sign-in: state or code missing');
  const response = await fetch(`${origin(config.domain)}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: returnAddress(config),
      code_verifier: saved.verifier,
    }),
    credentials: 'omit',
  });
  if (!response.ok) throw new Error(`sign-in: token HTTP ${response.status}`);
  const tokens = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
  if (typeof tokens.access_token !== 'string') throw new Error('sign-in: no access token');
  const seconds = typeof tokens.expires_in === 'number' ? tokens.expires_in : 3600;
  return keep({ accessToken: tokens.access_token, expiresAt: Date.now() + (seconds - 60) * 1000 });
}

/** The hosted sign-out, which ends the user pool's own session too and comes back to the console. */
export function hostedSignOutUrl(config: Cognito): string {
  const query = new URLSearchParams({ client_id: config.clientId, logout_uri: returnAddress(config) });
  return `${origin(config.domain)}/logout?${query}`;
}
