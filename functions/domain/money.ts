// Money as integers in the currency's minor unit (KRW: won, RUB: kopecks), formatted per locale.

const exponents = new Map<string, number>();

/** Digits after the decimal point in the currency (KRW 0, RUB 2), from ISO 4217 via Intl. */
export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    exponents.set(currency, exponent);
  }
  return exponent;
}

/** Major units (e.g. 5.66 RUB) to minor units (566), rounded half away from zero. */
export function toMinor(major: number, currency: string): number {
  const scaled = major * 10 ** currencyExponent(currency);
  return Math.sign(scaled) * Math.round(Math.abs(scaled) + Number.EPSILON * Math.abs(scaled));
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** exponent);
}
