// Deterministic demo data for a utility: accounts with phones and meters, and a year of bills.
import { isLocalMessengerUser } from '#adapters/local/outbox-messenger';
import type { UtilityConfig } from '#config/schema';
import type { Account, Meter } from '#domain/account';
import type { Bill, BillMeterReading } from '#domain/bill';
import { expectedAmountDue } from '#domain/bill';
import { localDate } from '#domain/calendar';
import { addMonths, periodOfDate } from '#domain/period';
import { toE164 } from '#domain/phone';
import { type PricedUsage, priceUsage, type UsageToPrice } from '#domain/tariff';
import { dueDateOf, lateFeeOf } from '#domain/tariff-due';
import { PricingError } from '#domain/tariff-lines';

/** mulberry32: a small seeded generator, so every run (and every test) sees the same demo data. */
function seeded(seedText: string) {
  let seed = 0;
  for (const ch of seedText) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = {
  ko: {
    family: ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오'],
    given: ['민준', '서연', '도윤', '하은', '지호', '수아', '예준', '지우', '현우', '서윤', '건우', '민서'],
    streets: [
      '세종대로',
      '종로',
      '을지로',
      '마포대로',
      '양화로',
      '공항대로',
      '테헤란로',
      '올림픽로',
      '송파대로',
    ],
  },
  ru: {
    family: [
      'Иванов',
      'Смирнов',
      'Кузнецов',
      'Попов',
      'Васильев',
      'Петров',
      'Соколов',
      'Михайлов',
      'Новиков',
    ],
    given: ['Александр', 'Сергей', 'Елена', 'Ольга', 'Дмитрий', 'Наталья', 'Андрей', 'Татьяна', 'Михаил'],
    streets: ['ул. Республики', 'ул. Мельникайте', 'ул. Широтная', 'ул. Пермякова', 'ул. Мира', 'пр. Шопова'],
  },
} as const;

export interface DemoData {
  accounts: Account[];
  bills: Bill[];
  /**
   * Accounts a newcomer can try, each with a registered phone: three, and where the utility has a messenger a
   * fourth whose phones are no messenger users locally (its notices fall back to SMS).
   */
  showcase: Account[];
}

export interface DemoOptions {
  accounts?: number;
  months?: number;
}

export function generateDemoData(config: UtilityConfig, now: Date, options: DemoOptions = {}): DemoData {
  const random = seeded(config.id);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const language = config.locale.slice(0, 2) === 'ko' ? 'ko' : 'ru';
  const names = NAMES[language];
  const count = options.accounts ?? 240;
  const digits = config.accountNumber.example.length;

  const accounts: Account[] = [];
  for (let i = 0; i < count; i++) {
    const accountNumber = `${config.accountNumber.example.slice(0, 2)}${String(100_000 + i * 37).padStart(digits - 2, '0')}`;
    const district = config.districts[i % config.districts.length]?.code ?? '';
    const meterKind =
      config.meterKinds[config.meterKinds.length > 1 && random() < 0.4 ? 1 : 0] ?? config.meterKinds[0];
    if (!meterKind) throw new Error('config has no meter kinds');
    const meter: Meter = {
      id: `${meterKind.unit === 'm3' ? 'WM' : 'EM'}-${accountNumber.slice(-6)}`,
      kind: meterKind.kind,
      unit: meterKind.unit,
      registers: [...meterKind.registers],
    };
    const phones: string[] = [];
    for (let p = 0; p < (random() < 0.25 ? 2 : 1); p++) {
      const raw =
        config.country === 'KR'
          ? `010${int(2000, 9999)}${int(1000, 9999)}`
          : `+7${pick(['912', '922', '932', '950', '982'])}${int(1000000, 9999999)}`;
      const phone = toE164(raw, config.country);
      if (phone && !phones.includes(phone)) phones.push(phone);
    }
    const holderName =
      language === 'ko'
        ? `${pick(names.family)}${pick(names.given)}`
        : `${pick(names.family)} ${pick(names.given)}`;
    accounts.push({
      accountNumber,
      holderName,
      address:
        language === 'ko'
          ? `서울특별시 ${pick(names.streets)} ${int(1, 300)}, ${int(101, 1502)}호`
          : `г. Тюмень, ${pick(names.streets)}, д. ${int(1, 120)}, кв. ${int(1, 180)}`,
      district,
      paymentMethod: random() < 0.35 ? 'auto-pay' : 'giro',
      ...(config.country === 'KR'
        ? {
            virtualAccount: {
              bank: pick(['우리은행', '신한은행', '국민은행']),
              number: `5${String(int(0, 99_999_999)).padStart(8, '0')}${String(i).padStart(6, '0')}`,
            },
          }
        : {}),
      households: random() < 0.06 ? int(2, 6) : 1,
      meters: [meter],
      phones,
      ...entitlements(config, accountNumber),
      // Billed every two months: half the accounts in even months, half in odd ones, as their bills below are.
      ...(config.billing.intervalMonths === 2 ? { billingCycle: i % 2 } : {}),
    });
  }

  // Each account's bills draw from their own sequence, so the accounts shown stay the same on any date.
  const bills = accounts.flatMap((account) =>
    billsFor(config, account, now, options.months ?? 12, seeded(`${config.id}/${account.accountNumber}`)),
  );
  withDemoMeterReadings(accounts, bills);
  const withPhone = accounts.filter((a) => a.phones.length > 0);
  const overdue = new Set(bills.filter((b) => b.status === 'overdue').map((b) => b.accountNumber));
  const showcase = [
    withPhone.find((a) => a.paymentMethod === 'auto-pay'),
    withPhone.find((a) => overdue.has(a.accountNumber)),
    withPhone.find((a) => a.meters[0]?.kind === 'two-tariff') ?? withPhone.find((a) => a.households > 1),
  ].filter((a, i, all): a is Account => a !== undefined && all.indexOf(a) === i);
  if (config.channels.messenger.provider !== 'none') {
    const nonUser = withPhone.find(
      (a) => !showcase.includes(a) && a.phones.every((phone) => !isLocalMessengerUser(phone)),
    );
    if (nonUser) showcase.push(nonUser);
  }
  return { accounts, bills, showcase };
}

/**
 * Reductions an account is entitled to: e-billing-like discounts often, the others (vulnerable, families) rarely.
 * Drawn from the account's own sequence, so adding a reduction to a configuration changes no other demo data.
 */
function entitlements(config: UtilityConfig, accountNumber: string): Pick<Account, 'reductions'> {
  const random = seeded(`${config.id}/${accountNumber}/reductions`);
  const codes = config.reductions
    .filter(
      (r) => r.rules && random() < (r.rules.some((rule) => rule.kind === 'percent-of-total') ? 0.3 : 0.06),
    )
    .map((r) => r.code);
  return codes.length > 0 ? { reductions: codes } : {};
}

function pricedOrNone(config: UtilityConfig, usage: UsageToPrice): PricedUsage | undefined {
  try {
    return priceUsage(config, usage);
  } catch (error) {
    if (error instanceof PricingError && error.type === 'tariff-not-in-force') return undefined;
    throw error;
  }
}

function billsFor(
  config: UtilityConfig,
  account: Account,
  now: Date,
  months: number,
  random: () => number,
): Bill[] {
  const today = localDate(now, config.timeZone);
  const current = periodOfDate(today);
  const interval = config.billing.intervalMonths;
  const language = config.locale.slice(0, 2);
  const meter = account.meters[0];
  if (!meter) return [];
  // Bimonthly utilities bill half their accounts in odd months and half in even ones.
  const offset = account.billingCycle ?? 0;
  const debtor = random() < 0.1;
  const entitled = account.reductions ?? [];
  // A resident entitled to a self-reading credit reads the meter once a billing period.
  const selfReadings = config.reductions.some(
    (r) => entitled.includes(r.code) && r.rules?.some((rule) => rule.kind === 'per-self-reading'),
  )
    ? 1
    : 0;
  const bills: Bill[] = [];
  let carried = 0;
  let carriedDue = '';
  for (let back = months - 1; back >= 0; back--) {
    const period = addMonths(current, -back);
    const monthIndex = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7));
    if ((monthIndex + offset) % interval !== 0) continue;
    const issuedAt = `${period}-${String(config.billing.noticeDay).padStart(2, '0')}`;
    // The current period's bill is there before its notice day, as a billing system hands bills over days ahead.
    const perMonth = meter.unit === 'm3' ? 8 + random() * 14 : 140 + random() * 160;
    const volume = Math.round(perMonth * interval * account.households);
    const registers: Record<string, number> =
      meter.registers.length === 2
        ? {
            [meter.registers[0] as string]: Math.round(volume * 0.62),
            [meter.registers[1] as string]: volume - Math.round(volume * 0.62),
          }
        : { [meter.registers[0] as string]: volume };
    const usagePeriod = { from: `${addMonths(period, -interval)}-05`, to: `${period}-04` };
    const priced = pricedOrNone(config, {
      period,
      usagePeriod,
      registers,
      meterKind: meter.kind,
      households: account.households,
      reductions: entitled,
      selfReadings,
      language,
    });
    // Before the configuration's first tariff (a clock set years back) there is nothing to bill.
    if (!priced) continue;
    const { charges, reductions } = priced;
    const lateFee = lateFeeOf(config, { overdueAmount: carried, dueDate: carriedDue, asOf: issuedAt });
    const bill: Bill = {
      accountNumber: account.accountNumber,
      period,
      currency: config.currency,
      usagePeriod,
      usage: { volume, unit: meter.unit, registers, estimated: random() < 0.05 },
      charges,
      reductions,
      arrears: carried,
      lateFee,
      amountDue: 0,
      dueDate: dueDateOf(config, period),
      issuedAt,
      status: 'unpaid',
      payments: [],
    };
    bill.amountDue = expectedAmountDue(bill);
    const due = bill.dueDate < today;
    // Debtors stop paying in the last months of the year; everyone else pays by the due date.
    const pays = due && !(debtor && back < 4);
    if (pays) {
      const paidOn =
        account.paymentMethod === 'auto-pay'
          ? bill.dueDate
          : `${bill.dueDate.slice(0, 8)}${String(Math.min(28, 15 + Math.floor(random() * 10))).padStart(2, '0')}`;
      bill.status = 'paid';
      bill.payments = [
        {
          paidAt: `${[paidOn, bill.dueDate].sort()[0]}T10:00:00+00:00`,
          amount: bill.amountDue,
          method:
            account.paymentMethod === 'auto-pay' ? 'auto-pay' : random() < 0.5 ? 'virtual-account' : 'giro',
        },
      ];
      carried = 0;
    } else {
      bill.status = due ? 'overdue' : 'unpaid';
      carried = due ? bill.amountDue : 0;
      carriedDue = bill.dueDate;
    }
    bills.push(bill);
  }
  return bills;
}

/**
 * Where the demo meters stand on the latest bill, per register in the meter's order (total or day, then night): the
 * README's example readings (4321; 4321 2345) are just above them, as a resident's next reading would be.
 */
const DEMO_LATEST_READINGS = [4300, 2300];

/**
 * Prints meter readings on the demo bills: per account, oldest bill first, each register's current reading is the
 * previous one plus the bill's volume for it, dated the end of the usage period (estimated where the bill is). The
 * first reading is chosen so that the latest bill ends at DEMO_LATEST_READINGS.
 */
function withDemoMeterReadings(accounts: Account[], bills: Bill[]): void {
  const byAccount = new Map<string, Bill[]>();
  for (const bill of bills)
    byAccount.set(bill.accountNumber, [...(byAccount.get(bill.accountNumber) ?? []), bill]);
  for (const account of accounts) {
    const meter = account.meters[0];
    if (!meter) continue;
    const oldestFirst = [...(byAccount.get(account.accountNumber) ?? [])].sort((a, b) =>
      a.period.localeCompare(b.period),
    );
    const last = new Map<string, BillMeterReading['current']>();
    for (const bill of oldestFirst) {
      bill.meterReadings = meter.registers.map((register, index) => {
        const volume = Math.round(bill.usage.registers[register] ?? 0);
        const previous = last.get(register) ?? {
          value: Math.max(
            0,
            (DEMO_LATEST_READINGS[index] ?? 0) -
              oldestFirst.reduce((sum, b) => sum + Math.round(b.usage.registers[register] ?? 0), 0),
          ),
          date: bill.usagePeriod.from,
          kind: 'actual' as const,
        };
        const current = {
          value: previous.value + volume,
          date: bill.usagePeriod.to,
          kind: bill.usage.estimated ? ('estimated' as const) : ('actual' as const),
        };
        last.set(register, current);
        return { meterId: meter.id, register, previous, current, volume };
      });
    }
  }
}
