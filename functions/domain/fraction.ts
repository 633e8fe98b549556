// Exact fractions of BigInts, so money is computed without float error and rounded once, where the rule says.

export interface Fraction {
  readonly n: bigint;
  /** Always positive. */
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function make(n: bigint, d: bigint): Fraction {
  if (d === 0n) throw new RangeError('division by zero');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d < 0n ? -d : d) || 1n;
  return { n: (sign * n) / g, d: (sign * d) / g };
}

/** A JavaScript number as the decimal it is written as: 6.84 is exactly 684/100, not 6.8399999999999998579. */
export function fraction(value: number | bigint, over: number | bigint = 1): Fraction {
  if (typeof value === 'bigint') return make(value, BigInt(over));
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(value));
  if (!match) throw new RangeError(`${value} is not a finite number`);
  const [, sign, whole, decimals = '', exponentText = '0'] = match;
  const exponent = Number(exponentText) - decimals.length;
  let n = BigInt(`${sign}${whole}${decimals}`);
  let d = 1n;
  if (exponent >= 0) n *= 10n ** BigInt(exponent);
  else d = 10n ** BigInt(-exponent);
  return make(n, d * BigInt(over));
}

export const ZERO = fraction(0);

export function add(a: Fraction, b: Fraction): Fraction {
  return make(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Fraction, b: Fraction): Fraction {
  return make(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return make(a.n * b.n, a.d * b.d);
}

export function div(a: Fraction, b: Fraction): Fraction {
  return make(a.n * b.d, a.d * b.n);
}

export function compare(a: Fraction, b: Fraction): number {
  const diff = a.n * b.d - b.n * a.d;
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

export function min(a: Fraction, b: Fraction): Fraction {
  return compare(a, b) <= 0 ? a : b;
}

export function max(a: Fraction, b: Fraction): Fraction {
  return compare(a, b) >= 0 ? a : b;
}

/** A non-negative fraction to a multiple of `step`: down, up, or half up (half away from zero). */
export function roundTo(value: Fraction, step: number, mode: 'down' | 'half-up' | 'up'): number {
  if (value.n < 0n) return -roundTo(make(-value.n, value.d), step, mode);
  const unit = BigInt(step) * value.d;
  let steps = value.n / unit;
  const rest = value.n - steps * unit;
  if ((mode === 'up' && rest > 0n) || (mode === 'half-up' && 2n * rest >= unit)) steps += 1n;
  return Number(steps * BigInt(step));
}

/** For display only (a line's volume): the nearest number with at most three decimals. */
export function toDisplay(value: Fraction): number {
  return roundTo(mul(value, fraction(1000)), 1, 'half-up') / 1000;
}
