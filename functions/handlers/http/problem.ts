// problem+json (RFC 9457): the one mapping from error kinds to HTTP status codes and bodies.
import type { ErrorKind } from '#domain/errors';

export const PROBLEM_TYPE_PREFIX = 'urn:utilitydesk:problem:';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  'too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  unavailable: 503,
  'not-acceptable': 406,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  421: 'Misdirected request',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export interface ProblemResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function problemResponse(
  status: number,
  type: string,
  detail: string,
  extras: {
    instance?: string;
    requestId?: string;
    extensions?: Record<string, unknown>;
    headers?: Record<string, string>;
  } = {},
): ProblemResponse {
  const body = {
    type: `${PROBLEM_TYPE_PREFIX}${type}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: extras.instance,
    requestId: extras.requestId,
    ...extras.extensions,
  };
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...extras.headers },
    body: JSON.stringify(body),
  };
}
