// The portal's security headers, one definition for CloudFront's response headers policy (lib/portal.ts) and the
// local server (bin/local/portal-files.ts), so the browser tests run under the policy AWS serves; and where both
// find the built pages.
import { fileURLToPath } from 'node:url';

/** What `npm run build:portal` (and `cdk synth`, through cdk.json's build step) writes. */
export const PORTAL_DIST = fileURLToPath(new URL('../portal/dist', import.meta.url));

export interface PortalOrigins {
  /** Where the pages call the API, when not their own origin (https://…execute-api…). */
  api?: string;
  /** Where the browser posts photos (the photo bucket's S3 origin) and opens staff photo links. */
  photos?: string;
  /** The staff sign-in's origin (the user pool's hosted domain): the console fetches tokens from it. */
  signIn?: string;
}

/**
 * Strict: only the portal's own scripts and styles (no inline code, no eval), no plug-ins, no framing, no <base>,
 * and network access only to the origins named. Photo previews are blob: URLs; nothing else is allowed from
 * anywhere else.
 */
export function contentSecurityPolicy(origins: PortalOrigins, options: { upgradeInsecure: boolean }): string {
  const list = (...items: Array<string | undefined>) => items.filter(Boolean).join(' ');
  const directives = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${list("'self'", 'blob:', origins.photos)}`,
    "font-src 'self'",
    `connect-src ${list("'self'", origins.api, origins.photos, origins.signIn)}`,
    "manifest-src 'self'",
    `form-action ${list("'self'", origins.signIn)}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    ...(options.upgradeInsecure ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** The other headers every portal response carries, beside the CSP (and HSTS, which only HTTPS sends). */
export const PORTAL_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  // The map pin may use the device's position when the resident asks; camera through the file picker only.
  'permissions-policy': 'geolocation=(self), camera=(), microphone=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** The page's HTML is checked on every visit (a deploy shows at once); hashed assets are cached for a year. */
export const PORTAL_CACHE = {
  html: 'no-cache',
  assets: 'public, max-age=31536000, immutable',
} as const;
