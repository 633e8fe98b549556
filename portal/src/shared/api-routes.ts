// Which origin a call goes to: the API's, or the page's own for the public reads CloudFront caches there
// (config.json's cachedReads). Kept apart from api.ts so the rule can be read, and tested, on its own.

export interface CallSettings {
  /** '' for the page's origin, else the API's https origin. */
  apiBase: string;
  /** Paths (no query) the page's origin answers from its cache. */
  cachedReads: readonly string[];
}

/**
 * The base a call's path is appended to. Only an unsigned GET of a listed path may come from a shared cache: a
 * token, a body or another method always goes to the API itself.
 */
export function baseFor(
  path: string,
  request: { method?: string; token?: string; body?: unknown },
  settings: CallSettings,
): string {
  const cacheable = !request.token && request.body === undefined && (request.method ?? 'GET') === 'GET';
  const [route = path] = path.split('?');
  return cacheable && settings.cachedReads.includes(route) ? '' : settings.apiBase;
}
