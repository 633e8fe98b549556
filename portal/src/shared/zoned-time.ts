// Wall-clock times in the utility's time zone, whatever zone the browser is in: a datetime-local field's value
// means Seoul's or Yekaterinburg's time, not the visitor's.

/**
 * The instant (ISO 8601 in UTC, `...Z`) of a wall-clock time (2026-12-01T09:30) in a time zone. A time a change of
 * offset skips is read with the offset before it (02:30 becomes 03:30 in summer time); one it repeats, as the later.
 */
export function zonedInstant(wall: string, timeZone: string): string | undefined {
  const guess = Date.parse(`${wall.length === 16 ? `${wall}:00` : wall}Z`);
  if (Number.isNaN(guess)) return undefined;
  const offset = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return (
      Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - at
    );
  };
  // Twice, so a wall time next to a change of offset lands on the offset in force at that time.
  const first = guess - offset(guess);
  return new Date(guess - offset(first)).toISOString();
}

/** The wall-clock time (for a datetime-local field) of an instant in a time zone. */
export function wallTime(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
  return text.replace(' ', 'T');
}
