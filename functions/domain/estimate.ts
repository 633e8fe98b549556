// A meter's billed volume for one bill: from its reading, or estimated (average, then normative), with reconciliation.
import { DateTime } from 'luxon';
import type { EstimationConfig, MeterKindConfig } from '#config/schema';
import type { Bill, BillMeterReading, BillReading, UsageMethod } from './bill.ts';
import { AppError } from './errors.ts';

type Volumes = Record<string, number>;

export interface MeterUsageInput {
  estimation: EstimationConfig;
  /** The meter, with the digits of its kind (where it rolls over to zero). */
  meter: { id: string; kind: MeterKindConfig['kind']; registers: string[]; digits: number };
  /** Households sharing the meter: the normative is per household. */
  households: number;
  /** Months the bill covers (the utility's billing interval). */
  months: number;
  /** Local date of the billing run: the date an estimated reading is printed with. */
  billDate: string;
  /** The reading that counts for the bill's window; absent when none was accepted. */
  reading?: { values: Volumes; date: string };
  /** The account's earlier bills, newest first (averageMonths + maxEstimatedPeriods of them are enough). */
  history: Bill[];
}

export interface MeterUsage {
  lines: BillMeterReading[];
  /** Billed volume per register, after any credit. */
  registers: Volumes;
  method: UsageMethod;
  /** Volume per register still owed back to the resident after this bill; absent when nothing is. */
  creditCarried?: Volumes;
  /** Consecutive estimated bills ending with this one (0 when it has a reading), as far as the history shows. */
  estimatedPeriods: number;
}

/** No reading, no usable history and no normative for the meter's kind (possible only under policy "average"). */
export class NoEstimateError extends AppError {
  constructor(meterId: string) {
    super(
      'unprocessable',
      'no-estimate',
      `Meter ${meterId} has no reading, too little actual history for an average and no normative to estimate from`,
      { meterId },
    );
    this.name = 'NoEstimateError';
  }
}

/** The reading does not give a value for every register of the meter. */
export class ReadingRegistersError extends AppError {
  constructor(meterId: string, register: string) {
    super(
      'unprocessable',
      'reading-registers',
      `The reading of meter ${meterId} has no "${register}" value`,
      {
        meterId,
        register,
      },
    );
    this.name = 'ReadingRegistersError';
  }
}

/**
 * The volume of one meter on one bill. With a reading: the reading less the previous printed value, actual or
 * estimated, so what earlier estimates billed is settled by construction ("reconciled" after estimates); a negative
 * difference bills nothing and becomes a credit, taken off the next bills' volumes until used up. Without one: the
 * average of the last actual periods for at most `maxEstimatedPeriods` consecutive bills, then the normative.
 */
export function meterUsage(input: MeterUsageInput): MeterUsage {
  const { meter, history } = input;
  const capacity = 10 ** meter.digits;
  const previousBill = history[0];
  const printed = printedReadings(previousBill, meter.id);
  const credit = creditFor(previousBill, meter.id);

  let method: UsageMethod;
  let estimatedPeriods = 0;
  const gross: Volumes = {};
  const current: Record<string, BillReading | undefined> = {};
  if (input.reading) {
    const { values, date } = input.reading;
    for (const register of meter.registers) {
      const value = values[register];
      if (value === undefined) throw new ReadingRegistersError(meter.id, register);
      const previous = printed[register];
      // A meter's first reading only opens its count: what it measured before is unknown.
      gross[register] = previous ? difference(previous, value, capacity) : 0;
      current[register] = { value, date, kind: 'actual' };
    }
    const settles =
      previousBill !== undefined && isEstimated(previousBill) && Object.keys(printed).length > 0;
    method = settles ? 'reconciled' : 'actual';
  } else {
    estimatedPeriods = leadingEstimates(history) + 1;
    const estimate = estimateVolumes(input, estimatedPeriods);
    method = estimate.method;
    for (const register of meter.registers) {
      const volume = estimate.volumes[register] ?? 0;
      gross[register] = volume;
      const previous = printed[register];
      // Without a printed value to count from (a new account, or bills imported without readings) nothing is printed.
      current[register] = previous
        ? { value: (previous.value + volume) % capacity, date: input.billDate, kind: 'estimated' }
        : undefined;
    }
  }

  const lines: BillMeterReading[] = [];
  const registers: Volumes = {};
  for (const register of meter.registers) {
    const owed = credit[register] ?? 0;
    const delta = gross[register] ?? 0;
    const used = Math.min(owed, Math.max(delta, 0));
    // A negative difference is never a negative line: the resident is owed it on the next bills.
    credit[register] = owed - used + Math.max(-delta, 0);
    registers[register] = Math.max(delta, 0) - used;
    const reading = current[register];
    if (!reading) continue;
    const previous = printed[register];
    lines.push({
      meterId: meter.id,
      register,
      ...(previous ? { previous } : {}),
      current: reading,
      volume: registers[register],
    });
  }
  const remaining = Object.fromEntries(
    meter.registers.flatMap((r) => ((credit[r] ?? 0) > 0 ? [[r, credit[r] as number]] : [])),
  );
  return {
    lines,
    registers,
    method,
    ...(Object.keys(remaining).length > 0 ? { creditCarried: remaining } : {}),
    estimatedPeriods,
  };
}

function estimateVolumes(
  input: MeterUsageInput,
  estimatedPeriods: number,
): { method: 'average' | 'normative'; volumes: Volumes } {
  const { estimation, meter, months } = input;
  if (estimation.policy !== 'normative') {
    const average = averageMonthly(input.history, meter, estimation);
    const withinLimit = estimation.policy === 'average' || estimatedPeriods <= estimation.maxEstimatedPeriods;
    if (average && withinLimit) {
      const volumes = Object.fromEntries(
        meter.registers.map((r) => [r, Math.round((average[r] ?? 0) * months)]),
      );
      return { method: 'average', volumes };
    }
  }
  const normative = estimation.normative[meter.kind];
  if (!normative) throw new NoEstimateError(meter.id);
  const volumes = Object.fromEntries(
    meter.registers.map((r) => [r, Math.round((normative[r] ?? 0) * input.households * months)]),
  );
  return { method: 'normative', volumes };
}

/**
 * Average monthly consumption per register over the most recent measured spans of the history, each running from
 * one actual reading to the next: an actual bill alone, or a reconciled bill together with the estimated bills it
 * settled (their printed differences add up to the actual consumption). Spans are taken, newest first, until
 * `averageMonths` is reached (a span cannot be split, so the last may reach past it); fewer than
 * `minimumHistoryMonths` give no average. Estimates not yet settled by a reading are not measurements.
 */
function averageMonthly(
  history: Bill[],
  meter: MeterUsageInput['meter'],
  estimation: Pick<EstimationConfig, 'averageMonths' | 'minimumHistoryMonths'>,
): Volumes | undefined {
  const capacity = 10 ** meter.digits;
  const sums: Volumes = {};
  let months = 0;
  let i = 0;
  while (i < history.length && months < estimation.averageMonths) {
    const newest = history[i++] as Bill;
    if (isEstimated(newest)) continue;
    const span = [newest];
    if (newest.usage.method === 'reconciled') {
      while (i < history.length && isEstimated(history[i] as Bill)) span.push(history[i++] as Bill);
    }
    const consumption = spanConsumption(span, meter, capacity);
    if (!consumption) continue;
    for (const register of meter.registers)
      sums[register] = (sums[register] ?? 0) + (consumption[register] ?? 0);
    months += span.reduce((total, bill) => total + monthsOf(bill), 0);
  }
  if (months === 0 || months < estimation.minimumHistoryMonths) return undefined;
  return Object.fromEntries(meter.registers.map((r) => [r, Math.max(sums[r] ?? 0, 0) / months]));
}

/**
 * Consumption per register over a span of bills (newest first), or undefined when the span does not run from one
 * actual reading to another (a first reading, another meter's bills, a settling run cut off by the history's end).
 * Bills made without readings (imports, demo data) give their measured usage as it is.
 */
function spanConsumption(
  span: Bill[],
  meter: MeterUsageInput['meter'],
  capacity: number,
): Volumes | undefined {
  const sums: Volumes = {};
  for (const [index, bill] of span.entries()) {
    if (!bill.meterReadings) {
      if (span.length > 1) return undefined;
      return bill.usage.registers;
    }
    for (const register of meter.registers) {
      const line = bill.meterReadings.find((l) => l.meterId === meter.id && l.register === register);
      if (!line?.previous) return undefined;
      if (index === span.length - 1 && line.previous.kind !== 'actual') return undefined;
      sums[register] = (sums[register] ?? 0) + difference(line.previous, line.current.value, capacity);
    }
  }
  return sums;
}

/**
 * Reading less the previous printed value, across a rollover: a meter near its last value that reads near zero went
 * round; an estimate that was printed past the rollover while the meter had not got there gives a negative difference.
 */
function difference(previous: BillReading, value: number, capacity: number): number {
  const raw = value - previous.value;
  const nearEnd = (v: number) => v >= capacity * 0.9;
  const nearStart = (v: number) => v < capacity * 0.1;
  if (raw < 0 && nearEnd(previous.value) && nearStart(value)) return raw + capacity;
  if (raw > 0 && previous.kind === 'estimated' && nearStart(previous.value) && nearEnd(value))
    return raw - capacity;
  return raw;
}

/** The current value of each register as the bill printed it, actual or estimated. */
function printedReadings(bill: Bill | undefined, meterId: string): Record<string, BillReading> {
  const lines = bill?.meterReadings?.filter((l) => l.meterId === meterId) ?? [];
  return Object.fromEntries(lines.map((l) => [l.register, l.current]));
}

/**
 * The credit a bill carried, per register, that this meter takes off its volume. The bill's credit is the account's;
 * where several meters have a register of that name, the first of them on the bill takes it all, so it is used once.
 */
function creditFor(bill: Bill | undefined, meterId: string): Volumes {
  const carried = bill?.usage.creditCarried ?? {};
  const holder = (register: string) => bill?.meterReadings?.find((l) => l.register === register)?.meterId;
  return Object.fromEntries(
    Object.entries(carried).filter(([register]) => (holder(register) ?? meterId) === meterId),
  );
}

function isEstimated(bill: Bill): boolean {
  const method = bill.usage.method;
  return method ? method === 'average' || method === 'normative' : bill.usage.estimated;
}

/** How many of the newest bills in a row were estimated. */
function leadingEstimates(history: Bill[]): number {
  const index = history.findIndex((bill) => !isEstimated(bill));
  return index === -1 ? history.length : index;
}

/** Whole months a bill's usage period covers (a month's bill 1, a two-month bill 2). */
function monthsOf(bill: Bill): number {
  const days = DateTime.fromISO(bill.usagePeriod.to).diff(
    DateTime.fromISO(bill.usagePeriod.from),
    'days',
  ).days;
  return Math.max(1, Math.round(days / 30.4375));
}
