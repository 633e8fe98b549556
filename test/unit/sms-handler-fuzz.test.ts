import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { CountingMetrics } from '#adapters/local/counting-metrics';
import { LocalEmailOutbox } from '#adapters/local/outbox-email';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { handleInboundSms } from '#app/inbound-sms';
import { deliverQueued } from '#app/outbound';
import type { OutboundQueue } from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import { anAccount } from '#test/support/builders';
import {
  MemoryAccounts,
  MemoryBills,
  MemoryCounters,
  MemoryInboundLog,
  MemoryOptOuts,
  MemoryOutbox,
  MemoryReadings,
  MemorySubscriptions,
} from '#test/support/memory-stores';

const PHONES = ['+79123456789', '+79220001122', '+79320003344'];
const ACCOUNTS = ['1234567833', '1234567834', '1234567835'];

async function world() {
  const clock = new ManualClock(new Date('2026-12-16T05:00:00Z'));
  const sms = new LocalSmsGateway(clock, () => {}, 1_000_000);
  const email = new LocalEmailOutbox(clock, () => {}, 1_000_000);
  const accounts = new MemoryAccounts();
  const bills = new MemoryBills();
  const inbound = new MemoryInboundLog();
  const readings = new MemoryReadings(accounts, bills, inbound);
  const tyumen = loadUtilityConfig('tyumen-power');
  // Replies and e-mails are queued; here each job goes straight to the real sender, so the outboxes show it at once.
  const outboundQueue: OutboundQueue = { enqueue: async (job) => void (await deliverQueued(deps, job)) };
  // Every accepted reading with an address is confirmed here, and every message that asks for a reply gets one:
  // the caps on confirmations and on replies have tests of their own.
  const deps = {
    config: {
      ...tyumen,
      limits: {
        ...tyumen.limits,
        confirmationEmails: { perAccountPerDay: 1_000_000, perAddressPerDay: 1_000_000 },
        smsRepliesPerPhonePerDay: 1_000_000,
      },
    },
    clock,
    accounts,
    bills,
    readings,
    inbound,
    optOuts: new MemoryOptOuts(),
    // The fuzz creates no subscriptions: STOP and START find none to change and only record the opt-out.
    subscriptions: new MemorySubscriptions(),
    counters: new MemoryCounters(),
    metrics: new CountingMetrics(),
    sms,
    email,
    outbox: new MemoryOutbox(),
    outboundQueue,
  };
  const twoTariff = {
    id: 'EM-1',
    kind: 'two-tariff' as const,
    unit: 'kWh' as const,
    registers: ['day', 'night'],
  };
  const single = { id: 'EM-2', kind: 'single' as const, unit: 'kWh' as const, registers: ['total'] };
  await accounts.putMany([
    anAccount({
      accountNumber: ACCOUNTS[0],
      district: 'tmn-central',
      phones: [PHONES[0] as string],
      meters: [twoTariff],
    }),
    anAccount({
      accountNumber: ACCOUNTS[1],
      district: 'tmn-central',
      phones: [PHONES[1] as string],
      meters: [single],
    }),
    anAccount({
      accountNumber: ACCOUNTS[2],
      district: 'tmn-central',
      phones: [PHONES[0] as string],
      meters: [single, { ...single, id: 'EM-3' }],
    }),
  ]);
  return { deps, sms, email, readings };
}

/** Messages residents could send, and mutations of them: typos, other separators, noise. */
const message = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...ACCOUNTS),
        fc.array(fc.nat({ max: 2_000_000 }), { minLength: 0, maxLength: 4 }),
        fc.constantFrom('', '', ' ivan.petrov@mail.ru', ' Ivan@Mail.RU', ' ivan@'),
      )
      .map(([a, r, address]) => [a, ...r].join(' ') + address),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('STOP', 'СТАРТ', '중지', 'HELP', 'СЧЕТ', 'СЧЕТ 1234567833', '', '   '),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...ACCOUNTS),
        fc.nat({ max: 99_999 }),
        fc.nat({ max: 9_999 }),
        fc.constantFrom(' ', '#', '*', ',', '.', '\n', 'x', '', ' a@b.ru'),
      )
      .map(([a, d, n, sep]) => `${a}${sep}${d}${sep}${n}`),
  },
);

describe('the SMS handler under random and mutated messages', () => {
  it('never lets an exception escape; every message is accepted, rejected with one reply, or ignored (100,000)', async () => {
    const outcomes = { accepted: 0, rejected: 0, ignored: 0 };
    // 100 batches of 1,000 messages, each batch in a fresh world so the stores stay small.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(message, fc.constantFrom(...PHONES)), { minLength: 1000, maxLength: 1000 }),
        async (batch) => {
          const { deps, sms, email, readings } = await world();
          for (const [i, [body, from]] of batch.entries()) {
            const stored = readings.items.length;
            const replies = sms.list(from).length;
            const emails = email.list().length;
            const outcome = await handleInboundSms(deps, {
              messageId: `fuzz-${i}`,
              from,
              to: '+79037672060',
              body,
              sentAt: deps.clock.now().toISOString(),
            });
            const written = readings.items.length - stored;
            const replied = sms.list(from).length - replies;
            // A confirmation e-mail only for a reading written with an address, and only one.
            expect(email.list().length - emails).toBe(written === 1 && readings.items.at(-1)?.email ? 1 : 0);
            expect(written).toBeLessThanOrEqual(1);
            expect(replied).toBeLessThanOrEqual(1);
            if (outcome === 'ignored') {
              expect([written, replied]).toEqual([0, 0]);
              outcomes.ignored++;
            } else if (written === 1) {
              // Accepted: no reply, or the leak-check advice for a flagged reading.
              if (replied === 1) expect(readings.items.at(-1)?.status).toBe('flagged');
              outcomes.accepted++;
            } else {
              // Rejected (or a keyword): nothing written, exactly one reply.
              expect(replied).toBe(1);
              outcomes.rejected++;
            }
            deps.clock.advance(1_000);
          }
        },
      ),
      { numRuns: 100 },
    );
    expect(outcomes.accepted + outcomes.rejected + outcomes.ignored).toBe(100_000);
    expect(outcomes.accepted).toBeGreaterThan(1_000);
    expect(outcomes.rejected).toBeGreaterThan(1_000);
  }, 300_000);

  it('leaves one reading and at most one reply when a message is delivered 2-5 times, interleaved', async () => {
    let interleaved = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        async (copies, seed) => {
          const { deps, sms, readings } = await world();
          const deliveries = copies.flatMap((count, m) =>
            Array.from({ length: count }, () => ({
              messageId: `m-${m}`,
              from: PHONES[1] as string,
              to: '+79037672060',
              body: m % 2 === 0 ? `${ACCOUNTS[1]} ${1000 + m}` : `${ACCOUNTS[1]} oops`,
              sentAt: deps.clock.now().toISOString(),
            })),
          );
          // Shuffled from the seed (Fisher-Yates with a small LCG): copies of one message are spread among the
          // others' copies, as SQS's redeliveries arrive.
          let state = seed || 1;
          const next = () => {
            state = (state * 1103515245 + 12345) % 2 ** 31;
            return state / 2 ** 31;
          };
          for (let i = deliveries.length - 1; i > 0; i--) {
            const j = Math.floor(next() * (i + 1));
            [deliveries[i], deliveries[j]] = [
              deliveries[j] as (typeof deliveries)[number],
              deliveries[i] as (typeof deliveries)[number],
            ];
          }
          const ids = deliveries.map((d) => d.messageId);
          if (
            new Set(ids).size > 1 &&
            ids.some((id, i) => i > 0 && id !== ids[i - 1] && ids.indexOf(id) < i - 1)
          ) {
            interleaved++;
          }
          for (const d of deliveries) await handleInboundSms(deps, d);
          const valid = copies.filter((_, m) => m % 2 === 0).length;
          const invalid = copies.length - valid;
          expect(readings.items.length).toBe(valid);
          expect(sms.list(PHONES[1]).length).toBe(invalid);
        },
      ),
      { numRuns: 200 },
    );
    // Most runs really interleave: a message's copies come back after another message's.
    expect(interleaved).toBeGreaterThan(100);
  });
});
