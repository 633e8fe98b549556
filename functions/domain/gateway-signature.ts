// The HMAC signature a domestic SMS gateway puts on each webhook: computed over the raw body, checked in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignatureScheme {
  algorithm: 'hmac-sha256';
  encoding: 'hex' | 'base64';
  /** Text before the digest, e.g. "sha256=". */
  prefix?: string | undefined;
}

const DIGEST_BYTES = 32;

function digest(body: Buffer | string, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** The header value a gateway sends for this body (also how tests and the README sign requests). */
export function signGatewayBody(body: Buffer | string, secret: string, scheme: SignatureScheme): string {
  return `${scheme.prefix ?? ''}${digest(body, secret).toString(scheme.encoding)}`;
}

/** The digest bytes a header value carries, or undefined when it is not one in the scheme's encoding. */
function givenDigest(value: string, scheme: SignatureScheme): Buffer | undefined {
  const prefix = scheme.prefix ?? '';
  const trimmed = value.trim();
  if (!trimmed.startsWith(prefix)) return undefined;
  const encoded = trimmed.slice(prefix.length);
  // Strict shapes: a lenient decoder would accept many strings for one digest.
  const shape = scheme.encoding === 'hex' ? /^[0-9a-fA-F]{64}$/ : /^[A-Za-z0-9+/]{43}=?$/;
  if (!shape.test(encoded)) return undefined;
  const bytes = Buffer.from(encoded, scheme.encoding);
  return bytes.length === DIGEST_BYTES ? bytes : undefined;
}

/** True only for the right signature of exactly these body bytes; the comparison takes the same time either way. */
export function isValidGatewaySignature(
  body: Buffer | string,
  secret: string,
  scheme: SignatureScheme,
  header: string | undefined,
): boolean {
  if (!header || secret.length === 0) return false;
  const given = givenDigest(header, scheme);
  if (!given) return false;
  return timingSafeEqual(given, digest(body, secret));
}
