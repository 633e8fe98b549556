// Small builders of accounts, bills, readings and subscriptions, so tests state only what matters.
import type { Account } from '#domain/account';
import type { Bill } from '#domain/bill';
import type { Complaint } from '#domain/complaint';
import type { Reading } from '#domain/reading';
import type { Subscription } from '#domain/subscription';

export function anAccount(over: Partial<Account> = {}): Account {
  return {
    accountNumber: '123456789',
    holderName: '김철수',
    address: '서울특별시 세종대로 110',
    district: '11140',
    paymentMethod: 'giro',
    virtualAccount: { bank: '우리은행', number: '512345678901234' },
    households: 1,
    meters: [{ id: 'WM-1', kind: 'single', unit: 'm3', registers: ['total'] }],
    phones: ['+821012345678'],
    ...over,
  };
}

export function aBill(over: Partial<Bill> = {}): Bill {
  const period = over.period ?? '2026-11';
  return {
    accountNumber: '123456789',
    period,
    currency: 'KRW',
    usagePeriod: { from: '2026-09-05', to: `${period}-04` },
    usage: { volume: 20, unit: 'm3', registers: { total: 20 }, estimated: false },
    charges: [
      { code: 'water', label: '상수도요금', volume: 20, rate: 580, amount: 11600 },
      { code: 'sewage', label: '하수도요금', volume: 20, rate: 480, amount: 9600 },
      { code: 'water-use-levy', label: '물이용부담금', volume: 20, rate: 170, amount: 3400 },
    ],
    reductions: [],
    arrears: 0,
    lateFee: 0,
    amountDue: 24600,
    dueDate: `${period}-28`,
    issuedAt: `${period}-12`,
    status: 'unpaid',
    payments: [],
    ...over,
  };
}

export function aReading(over: Partial<Reading> = {}): Reading {
  return {
    id: 'reading-1',
    accountNumber: '123456789',
    meterId: 'WM-1',
    period: '2026-12',
    values: { total: 120 },
    consumption: 20,
    source: 'web',
    status: 'accepted',
    submittedAt: '2026-12-16T05:00:00.000Z',
    ...over,
  };
}

/** A pending subscription of the account's registered phone, as a sign-up stores it. */
export function aSubscription(over: Partial<Subscription> = {}): Subscription {
  return {
    id: 'subscription-1',
    accountNumber: '123456789',
    phone: '+821012345678',
    channel: 'sms',
    language: 'ko',
    status: 'pending',
    addedBy: 'self',
    createdAt: '2026-12-16T05:00:00.000Z',
    consent: { version: '2026-11', at: '2026-12-16T05:00:00.000Z', source: 'web' },
    ...over,
  };
}

// ---- Complaints ----

/** A leak reported in Jongno-gu (11110) at 10:00 KST on 1 December 2026, with a phone and consent, due in 24 h. */
export function aComplaint(over: Partial<Complaint> = {}): Complaint {
  const createdAt = over.createdAt ?? '2026-12-01T01:00:00.000Z';
  const id = over.id ?? 'c-0001';
  return {
    id,
    trackingCode: 'K7M2QX9A',
    type: 'leak',
    description: 'Water is running out of the road in front of number 12.',
    district: '11110',
    routedBy: 'district-code',
    address: '서울특별시 종로구 세종대로 12',
    phone: '+821055501234',
    contactConsent: true,
    language: 'ko',
    attributes: { where: 'outdoors' },
    status: 'received',
    createdAt,
    updatedAt: createdAt,
    dueAt: new Date(Date.parse(createdAt) + 24 * 3600_000).toISOString(),
    duplicates: [],
    possibleDuplicates: [],
    photos: [],
    history: [{ at: createdAt, by: { kind: 'resident' }, action: 'filed' }],
    source: { channel: 'api' },
    version: 1,
    ...over,
  };
}
