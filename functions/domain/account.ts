// A customer account: holder, address, district, payment method, meters and registered phones.
import { z } from 'zod';
import { meterKindSchema } from '#config/schema';

export const paymentMethodSchema = z.enum(['auto-pay', 'giro']);

export const e164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'a phone number in E.164 form');

export const meterSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, 'letters, digits and dashes'),
  kind: meterKindSchema,
  unit: z.enum(['m3', 'kWh']),
  registers: z.array(z.string().min(1)).min(1).max(3),
  /** Who reads the meter: the resident (reminded when the window opens) or the utility's meter readers. */
  readBy: z.enum(['resident', 'utility']).optional(),
});
export type Meter = z.infer<typeof meterSchema>;

export const accountSchema = z.strictObject({
  accountNumber: z.string().min(1).max(32),
  holderName: z.string().min(1).max(200),
  address: z.string().min(1).max(500),
  district: z.string().min(1),
  paymentMethod: paymentMethodSchema,
  /** Payment-only account number (Seoul's virtual account), absent where the utility has none. */
  virtualAccount: z.strictObject({ bank: z.string().min(1), number: z.string().min(1) }).optional(),
  /** Households that share the meter; each pays its share of the bill. */
  households: z.number().int().min(1).max(1000),
  meters: z.array(meterSchema).min(1).max(10),
  /** Phones registered on the account (E.164); a code is only ever sent to one of these. */
  phones: z.array(e164Schema).max(20),
  /** Reductions the account is entitled to: codes of the utility's configured reductions (e.g. e-billing). */
  reductions: z.array(z.string().min(1)).max(10).optional(),
  /**
   * Which months a utility billing every two months bills this account in: 0 = even months, 1 = odd months.
   * Absent: 0. Monthly utilities ignore it.
   */
  billingCycle: z.number().int().min(0).max(1).optional(),
});
export type Account = z.infer<typeof accountSchema>;

/** "김철수" -> "김*수", "Иванов Иван" -> "И****в И**н": recognisable, not readable by a stranger. */
export function maskName(name: string): string {
  return name
    .split(/(\s+)/)
    .map((word) => {
      const chars = [...word];
      if (/^\s*$/.test(word) || chars.length < 2) return word;
      if (chars.length === 2) return `${chars[0]}*`;
      return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
    })
    .join('');
}
