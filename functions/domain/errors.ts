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
  | 'rate-limited';

export interface FieldProblem {
  /** Where the problem is, e.g. "body.phone" or "query.limit". */
  field: string;
  message: string;
}

/** An error the caller can act on. `type` is a stable slug that becomes the problem type URI. */
export class AppError extends Error {
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

export class RateLimitedError extends AppError {
  constructor(
    type: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate-limited', type, message, { retryAfterSeconds });
    this.name = 'RateLimitedError';
  }
}

export class ConflictError extends AppError {
  constructor(type: string, message: string) {
    super('conflict', type, message);
    this.name = 'ConflictError';
  }
}
