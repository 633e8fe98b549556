// Bearer tokens: HMAC-signed, short-lived, scoped to one account. Pure given a key and a clock.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const claimsSchema = z.strictObject({
  /** What the token opens: an account number, or a subscription id. */
  sub: z.string().min(1),
  /** The utility deployment that issued it. */
  aud: z.string().min(1),
  scope: z.enum(['account', 'subscription']),
  iat: z.number().int(),
  exp: z.number().int(),
});

export type TokenClaims = z.infer<typeof claimsSchema>;

export type TokenCheck =
  | { valid: true; claims: TokenClaims }
  | { valid: false; reason: 'malformed' | 'expired' };

const VERSION = 'v1';

function sign(payload: string, key: Buffer): string {
  return createHmac('sha256', key).update(`${VERSION}.${payload}`).digest('base64url');
}

export function issueToken(claims: TokenClaims, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${VERSION}.${payload}.${sign(payload, key)}`;
}

/** Checks signature, shape, audience and expiry; `now` is epoch seconds. */
export function verifyToken(token: string, key: Buffer, audience: string, now: number): TokenCheck {
  const [version, payload, signature, ...rest] = token.split('.');
  if (version !== VERSION || !payload || !signature || rest.length > 0)
    return { valid: false, reason: 'malformed' };
  const expected = Buffer.from(sign(payload, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { valid: false, reason: 'malformed' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  const parsed = claimsSchema.safeParse(json);
  if (!parsed.success || parsed.data.aud !== audience) return { valid: false, reason: 'malformed' };
  if (now >= parsed.data.exp) return { valid: false, reason: 'expired' };
  return { valid: true, claims: parsed.data };
}
