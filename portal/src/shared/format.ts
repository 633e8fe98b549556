// Money, dates and quantities as the utility's residents read them: in the page's language, and every date in the
// utility's time zone (a bill's due day is Seoul's day, wherever the browser is).

export interface Formats {
  money(amount: number): string;
  /** A calendar day (2026-12-25) or an instant, as a date in the utility's zone. */
  date(value: string): string;
  dateTime(value: string): string;
  /** A billing period (2026-11) as month and year. */
  period(value: string): string;
  number(value: number): string;
}

export function formats(locale: string, currency: string, timeZone: string): Formats {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  // A plain calendar day has no zone: it is shown as written, never shifted by the browser's offset.
  const calendarDay = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const number = new Intl.NumberFormat(locale);
  return {
    money: (amount) => money.format(amount),
    date: (value) =>
      /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? calendarDay.format(new Date(`${value}T00:00:00Z`))
        : day.format(new Date(value)),
    dateTime: (value) => dateTime.format(new Date(value)),
    period: (value) =>
      /^\d{4}-\d{2}$/.test(value) ? month.format(new Date(`${value}-01T00:00:00Z`)) : value,
    number: (value) => number.format(value),
  };
}
