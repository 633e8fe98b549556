// Hash routes (#/bills/2026-11): every page is one static file, so a deep link works on any static host and the
// path space stays the API's. A route change moves focus to the new page's heading for screen readers.
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** The path after '#', always starting with '/'. */
  path: string;
  /** The path's segments, decoded. */
  segments: string[];
  query: URLSearchParams;
}

function current(): Route {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { path: path.startsWith('/') ? path : `/${path}`, segments, query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function href(path: string): string {
  return `#${path}`;
}

export function navigate(path: string): void {
  location.hash = path;
}

let firstPage = true;

/**
 * After a page change (not the first page, where the skip link comes first): the new page's h1 takes focus
 * (tabindex -1), so keyboard and screen-reader users start there instead of at the top of the document.
 */
export function useFocusHeading(key: string): void {
  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading && document.activeElement !== heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }, [key]);
}
