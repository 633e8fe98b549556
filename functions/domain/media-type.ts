// Content negotiation: which of the media types a route offers an Accept header prefers (RFC 9110 §12.5.1).

interface Range {
  type: string;
  subtype: string;
  q: number;
  /** Position in the header: between equal preferences, the client's first wins. */
  order: number;
}

const TOKEN = /^[A-Za-z0-9!#$&^_.+-]+$/;

function parseAccept(accept: string): Range[] {
  return accept.split(',').flatMap((part, order) => {
    const [mediaRange = '', ...parameters] = part.split(';').map((s) => s.trim());
    const [type, subtype, extra] = mediaRange.toLowerCase().split('/');
    const valid = (t?: string) => t !== undefined && (t === '*' || TOKEN.test(t));
    if (extra !== undefined || !valid(type) || !valid(subtype) || (type === '*' && subtype !== '*'))
      return [];
    let q = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=').map((s) => s.trim());
      if (name?.toLowerCase() !== 'q') continue;
      if (!value || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return [];
      q = Number(value);
    }
    return [{ type: type as string, subtype: subtype as string, q, order }];
  });
}

/** How closely a range names an offer: 3 exactly, 2 by its type (text/*), 1 by anything; 0 not at all. */
function specificity(range: Range, type: string, subtype: string): number {
  if (range.type === type && range.subtype === subtype) return 3;
  if (range.type === type && range.subtype === '*') return 2;
  return range.type === '*' ? 1 : 0;
}

/**
 * The offer the Accept header prefers: the first offer when there is no header (or nothing in it parses), and
 * undefined when it accepts none of them (406). Each offer takes the quality of the most specific range naming it.
 */
export function negotiate(accept: string | undefined, offers: readonly string[]): string | undefined {
  const ranges = accept === undefined ? [] : parseAccept(accept);
  if (ranges.length === 0) return offers[0];
  let best: { offer: string; q: number; order: number } | undefined;
  for (const offer of offers) {
    const [type = '', subtype = ''] = offer.toLowerCase().split('/');
    let match: Range | undefined;
    let matchSpecificity = 0;
    for (const range of ranges) {
      const s = specificity(range, type, subtype);
      if (s > matchSpecificity) [match, matchSpecificity] = [range, s];
    }
    if (!match || match.q === 0) continue;
    if (!best || match.q > best.q || (match.q === best.q && match.order < best.order)) {
      best = { offer, q: match.q, order: match.order };
    }
  }
  return best?.offer;
}
