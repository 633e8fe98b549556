// Which of the utility's languages to answer in: the one asked for by name, else the caller's Accept-Language.

/** The language tags of an Accept-Language header (RFC 9110 §12.5.4), most preferred first; q=0 tags dropped. */
function acceptedLanguages(header: string): string[] {
  const ranges = header.split(',').flatMap((part, order) => {
    const [tag = '', ...parameters] = part.split(';').map((s) => s.trim());
    if (!/^([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*|\*)$/.test(tag)) return [];
    let q = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=').map((s) => s.trim());
      if (name?.toLowerCase() !== 'q') continue;
      if (!value || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return [];
      q = Number(value);
    }
    return q > 0 ? [{ language: (tag.split('-')[0] ?? '').toLowerCase(), q, order }] : [];
  });
  // Between equal preferences the client's first wins (sort is stable, but say it).
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order).map((r) => r.language);
}

/**
 * The language to answer in: `requested` when the utility offers it, else the first offered language the
 * Accept-Language header accepts ("ko-KR" counts as "ko"), else `fallback` (the utility's primary language).
 */
export function chooseLanguage(
  offered: readonly string[],
  asked: { requested?: string; acceptLanguage?: string },
  fallback: string,
): string {
  if (asked.requested && offered.includes(asked.requested)) return asked.requested;
  const accepted = asked.acceptLanguage ? acceptedLanguages(asked.acceptLanguage) : [];
  return accepted.find((language) => offered.includes(language)) ?? fallback;
}
