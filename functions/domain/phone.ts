// Phone numbers: read in the utility's country, kept in E.164, masked when shown.
import { type CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** E.164 form of a phone number written nationally or internationally, or undefined. */
export function toE164(input: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), country as CountryCode);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}

/** "+821012345678" -> "+82 10 **** 5678": enough for a person to recognise their own number. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return `${e164.slice(0, 3)}****${e164.slice(-4)}`;
  const prefix = `+${parsed.countryCallingCode}`;
  const rest = parsed.formatInternational().slice(prefix.length);
  const totalDigits = rest.replace(/\D/g, '').length;
  let seen = 0;
  const masked = [...rest].map((ch) => {
    if (!/\d/.test(ch)) return ch;
    seen += 1;
    return seen <= 2 || seen > totalDigits - 4 ? ch : '*';
  });
  return prefix + masked.join('');
}

/** Whether a number can receive SMS as a mobile: mobile, or a number type the plan does not tell apart. */
export function isMobile(e164: string): boolean {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
}

/** Whether a number belongs to the utility's country (its calling code), e.g. +82 for KR. */
export function isDomestic(e164: string, country: string): boolean {
  return (
    parsePhoneNumberFromString(e164)?.countryCallingCode === getCountryCallingCode(country as CountryCode)
  );
}
