// Derives the per-purpose keys from the one deployment secret (HKDF), so one leak cannot forge both.
import { hkdfSync } from 'node:crypto';
import type { SigningKeys } from './ports.ts';

export function deriveSigningKeys(secret: string): SigningKeys {
  if (secret.length < 32) throw new Error('The signing secret must be at least 32 characters long.');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'utilitydesk', info, 32));
  return { otp: derive('otp-hash'), token: derive('bearer-token') };
}
