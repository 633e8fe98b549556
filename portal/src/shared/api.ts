// The one way a page calls the API: JSON in and out, problem+json (RFC 9457) turned into an ApiError with its
// short code, and the page's language sent along so texts the server writes come back in it.
import { baseFor } from './api-routes.ts';

const PROBLEM_PREFIX = 'urn:utilitydesk:problem:';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Problem {
  status: number;
  /** The short code after the URN prefix, e.g. `reading-outside-window`; `network` when no answer came. */
  code: string;
  title: string;
  detail: string;
  errors?: FieldProblem[];
  /** Anything else the problem carried (e.g. `localizedMessage`, `registers`, `duplicates`). */
  extensions: Record<string, unknown>;
  /** Seconds to wait after a 429 or 503. */
  retryAfter?: number;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
}

/** Set once from /config.json: '' when the API shares the page's origin, else its https origin. */
let apiBase = '';
let language = '';
/** Public reads the page's own origin answers from its cache (PortalConfig.cachedReads). */
let cachedReads: readonly string[] = [];

export function configureApi(options: {
  base?: string;
  language?: string;
  cachedReads?: readonly string[];
}): void {
  if (options.base !== undefined) apiBase = options.base.replace(/\/$/, '');
  if (options.language !== undefined) language = options.language;
  if (options.cachedReads !== undefined) cachedReads = options.cachedReads;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** A bearer token: the resident's account token or a staff access token. */
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (language) headers['accept-language'] = language;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${baseFor(path, options, { apiBase, cachedReads })}${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'omit',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      code: 'network',
      title: 'Network error',
      detail: 'The service could not be reached.',
      extensions: {},
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) throw new ApiError(toProblem(response, data));
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toProblem(response: Response, data: unknown): Problem {
  const body = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const { type, title, detail, status, errors, instance, requestId, ...extensions } = body;
  const retry = Number(response.headers.get('retry-after'));
  return {
    status: typeof status === 'number' ? status : response.status,
    code: typeof type === 'string' ? type.replace(PROBLEM_PREFIX, '') : `http-${response.status}`,
    title: typeof title === 'string' ? title : response.statusText,
    detail: typeof detail === 'string' ? detail : '',
    errors: Array.isArray(errors) ? (errors as FieldProblem[]) : undefined,
    extensions,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
  };
}

/** What the deployment tells its pages (/config.json: written by the CDK app in AWS, by the local server here). */
export interface PortalConfig {
  /** '' for the same origin, else the API's https origin (CORS allows only the portal's origin). */
  apiBase: string;
  /**
   * Public GET routes the portal's own origin serves through CloudFront's cache (GET /utility, GET /announcements),
   * so an outage rush is answered by the edge; absent locally, where the API is the page's origin anyway.
   */
  cachedReads?: string[];
  staffSignIn:
    | { kind: 'local'; tokenPath: string }
    | { kind: 'cognito'; domain: string; clientId: string; redirectUri: string; scopes: string[] };
}

export async function loadPortalConfig(): Promise<PortalConfig> {
  const response = await fetch('/config.json', { credentials: 'omit', cache: 'no-cache' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as PortalConfig;
  configureApi({ base: config.apiBase, cachedReads: config.cachedReads ?? [] });
  return config;
}
