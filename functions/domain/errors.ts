// Named errors of the domain and use cases; the HTTP layer maps each kind to one status code.

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unprocessable'
  | 'too-large'
  | 'unsupported-media-type'
  | 'rate-limited'
  | 'unavailable'
  | 'not-acceptable';

export interface FieldProblem {
  /** Where the problem is, e.g. "body.phone" or "query.limit". */
  field: string;
  message: string;
  /**
   * What is wrong as a stable code (`too-long`), so a client can write its own sentence in its reader's language
   * while `message` stays the English one; with the figures that sentence needs, where it has some.
   */
  code?: string;
  /** The language a text is missing in or not written in (text-required, language-not-written). */
  language?: string;
  /** The languages the utility writes in (language-not-written). */
  languages?: string[];
  /** Characters the receiving phones cannot show, each once (unencodable-characters). */
  characters?: string[];
  /** How big the message is and the most that can be sent, in `unit`; `parts` SMS parts (too-long, messenger-too-long). */
  size?: number;
  limit?: number;
  unit?: 'bytes' | 'characters';
  parts?: number;
}

/** An error the caller can act on. `type` is a stable slug that becomes the problem type URI. */
export class AppError extends Error {
  /** When to try again (a Retry-After header), for errors that pass with time. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly kind: ErrorKind,
    readonly type: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The client accepts none of the media types a route can answer in (Accept). */
export class NotAcceptableError extends AppError {
  constructor(offered: readonly string[]) {
    super('not-acceptable', 'not-acceptable', `This resource is available as ${offered.join(', ')} only.`, {
      offered,
    });
    this.name = 'NotAcceptableError';
  }
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
    type = 'validation-error',
  ) {
    super('invalid', type, message, problems.length > 0 ? { errors: problems } : {});
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends AppError {
  constructor(type: string, message: string) {
    super('not-found', type, message);
    this.name = 'NotFoundError';
  }
}

export class UnauthenticatedError extends AppError {
  constructor(type: string, message: string) {
    super('unauthenticated', type, message);
    this.name = 'UnauthenticatedError';
  }
}

export class ForbiddenError extends AppError {
  constructor(type: string, message: string) {
    super('forbidden', type, message);
    this.name = 'ForbiddenError';
  }
}

/** An error that passes with time: `retryAfterSeconds` becomes the Retry-After header. */
abstract class RetryLaterError extends AppError {
  override readonly retryAfterSeconds: number;

  constructor(
    kind: 'rate-limited' | 'unavailable',
    type: string,
    message: string,
    retryAfterSeconds: number,
  ) {
    super(kind, type, message, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class RateLimitedError extends RetryLaterError {
  override name = 'RateLimitedError';

  constructor(type: string, message: string, retryAfterSeconds: number) {
    super('rate-limited', type, message, retryAfterSeconds);
  }
}

/** The service has stopped doing something for a while (e.g. the day's SMS ceiling is reached): a 503. */
export class UnavailableError extends RetryLaterError {
  override name = 'UnavailableError';

  constructor(type: string, message: string, retryAfterSeconds: number) {
    super('unavailable', type, message, retryAfterSeconds);
  }
}

export class ConflictError extends AppError {
  constructor(type: string, message: string) {
    super('conflict', type, message);
    this.name = 'ConflictError';
  }
}
