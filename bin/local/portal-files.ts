// The built portal (portal/dist) beside the local API on the same origin, as CloudFront serves it in AWS: the
// citizen portal at /, the staff console at /admin/, hashed assets under /assets/, and /config.json telling
// the pages where the API is and how staff sign in. Every answer carries the security headers AWS sends.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { contentSecurityPolicy, PORTAL_CACHE, PORTAL_HEADERS } from '#lib/portal-headers';
import { LOCAL_STAFF_TOKEN_PATH } from './staff-token.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const PAGES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/admin/': 'admin/index.html',
  '/admin/index.html': 'admin/index.html',
};

/** The portal's origin-wide headers, locally: the same policy as CloudFront's, without HTTPS upgrades. */
const LOCAL_PORTAL_HEADERS: Record<string, string> = {
  ...PORTAL_HEADERS,
  'content-security-policy': contentSecurityPolicy({}, { upgradeInsecure: false }),
};

/**
 * The answer for a portal path, or undefined when the path is the API's. `dir` is the built portal; when it has
 * not been built, its pages say how to build it.
 */
export function portalFile(
  dir: string,
  method: string,
  pathname: string,
): APIGatewayProxyStructuredResultV2 | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (pathname === '/admin') return { statusCode: 308, headers: { location: '/admin/' }, body: '' };
  if (pathname === '/config.json') {
    return {
      statusCode: 200,
      headers: {
        ...LOCAL_PORTAL_HEADERS,
        'content-type': TYPES['.json'] as string,
        'cache-control': 'no-cache',
      },
      body: JSON.stringify({
        apiBase: '',
        staffSignIn: { kind: 'local', tokenPath: LOCAL_STAFF_TOKEN_PATH },
      }),
    };
  }
  const page = PAGES[pathname];
  const asset = pathname.startsWith('/assets/') ? pathname.slice(1) : undefined;
  const file = page ?? asset;
  if (!file) return undefined;
  const path = normalize(join(dir, file));
  // A folder (GET /assets/) is no file: 404, as from the bucket.
  if (!path.startsWith(normalize(dir) + sep) || !existsSync(path) || !statSync(path).isFile()) {
    if (page) {
      return {
        statusCode: 503,
        headers: { ...LOCAL_PORTAL_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
        body: 'The portal has not been built: run `npm run build:portal` (npm start does it for you).\n',
      };
    }
    return {
      statusCode: 404,
      headers: { ...LOCAL_PORTAL_HEADERS, 'content-type': 'text/plain' },
      body: 'Not found\n',
    };
  }
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const binary =
    !type.startsWith('text/') && !type.startsWith('application/json') && type !== 'image/svg+xml';
  const content = readFileSync(path);
  return {
    statusCode: 200,
    headers: {
      ...LOCAL_PORTAL_HEADERS,
      'content-type': type,
      'cache-control': page ? PORTAL_CACHE.html : PORTAL_CACHE.assets,
    },
    body: binary ? content.toString('base64') : content.toString('utf8'),
    isBase64Encoded: binary,
  };
}
