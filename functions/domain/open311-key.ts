// An Open311 partner's api_key: the key itself is shown once at issue; only its SHA-256 hash is ever stored.
import { createHash } from 'node:crypto';

/** What is kept of a key: who it is for and when it was issued or revoked, never the key. */
export interface Open311ApiKey {
  /** Short and public: what ops lists and revokes by, and what a complaint filed with the key records. */
  id: string;
  /** Who the key is for ("Seoul Smart City app"). */
  name: string;
  /** SHA-256 of the key (hex): what a presented api_key is looked up by. */
  hash: string;
  createdAt: string;
  revokedAt?: string;
}

/** Keys start with this, so a leaked one is recognisable in logs and by secret scanners. */
export const OPEN311_KEY_PREFIX = 'ud311_';

/** A key from 32 random bytes (the caller draws them: the domain does no I/O). */
export function open311KeyFrom(random: Uint8Array): string {
  return `${OPEN311_KEY_PREFIX}${Buffer.from(random).toString('base64url')}`;
}

/** A key id from random bytes: 10 lower-case letters and digits. */
export function open311KeyIdFrom(random: Uint8Array): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  let id = '';
  for (let i = 0; i < 10; i++) id += alphabet[(random[i] ?? 0) % alphabet.length];
  return id;
}

export function hashOpen311Key(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
