// How an ops command ends: its exit codes, and the error that ends it with one sentence a member of staff can act on.

export const EXIT = { ok: 0, fatal: 1, rejected: 2 } as const;

/** An error that ends the command with exit code 1 and only its message (no stack): the user can fix it. */
export class FatalError extends Error {
  override name = 'FatalError';
}
