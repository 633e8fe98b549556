// Accounts, bills and active subscriptions for notice runs, stored through the real stores.
import type { Deps } from '#app/ports';
import type { Account } from '#domain/account';
import { fanOutShard, type Subscription } from '#domain/subscription';
import { aBill, anAccount, aSubscription } from './builders.ts';

export interface Recipient {
  account: Account;
  subscription: Subscription;
}

/**
 * `count` Tyumen accounts, each with a bill for `period` (unless `withoutBill` names it) and one active
 * subscription of its registered phone from `effectiveMonth` on, imported as an operator imports subscribers.
 */
export async function seedRecipients(
  deps: Pick<Deps, 'accounts' | 'bills' | 'subscriptions' | 'config'>,
  options: {
    count: number;
    period: string;
    effectiveMonth?: string;
    withoutBill?: (index: number) => boolean;
    /** The account's district (default tmn-central). */
    district?: (index: number) => string;
  },
): Promise<Recipient[]> {
  const recipients = Array.from({ length: options.count }, (_, i) => {
    const accountNumber = String(1_000_000_000 + i);
    const phone = `+7912${String(1_000_000 + i).padStart(7, '0')}`;
    const account = anAccount({
      accountNumber,
      holderName: 'Иванов Иван',
      address: 'Тюмень, ул. Республики, 1',
      district: options.district?.(i) ?? 'tmn-central',
      paymentMethod: i % 2 === 0 ? 'giro' : 'auto-pay',
      virtualAccount: undefined,
      meters: [{ id: `EM-${i}`, kind: 'single', unit: 'kWh', registers: ['total'] }],
      phones: [phone],
    });
    const subscription = aSubscription({
      id: `sub-${String(i).padStart(6, '0')}`,
      accountNumber,
      phone,
      language: 'ru',
      createdAt: '2026-11-01T05:00:00.000Z',
      consent: { version: '2026-11', at: '2026-11-01T05:00:00.000Z', source: 'web' },
    });
    return { account, subscription };
  });
  await deps.accounts.putMany(recipients.map((r) => r.account));
  await deps.bills.putMany(
    recipients
      .filter((_, i) => !options.withoutBill?.(i))
      .map((r) =>
        aBill({
          accountNumber: r.account.accountNumber,
          period: options.period,
          currency: 'RUB',
          usage: { volume: 250, unit: 'kWh', registers: { total: 250 }, estimated: false },
          charges: [{ code: 'energy', label: 'Электроэнергия', volume: 250, rate: 6.32, amount: 158_000 }],
          amountDue: 158_000,
        }),
      ),
  );
  const shards = deps.config.subscriptions.fanOutShards;
  const stored = recipients.map(({ account, subscription }) => ({
    account,
    subscription: {
      ...subscription,
      status: 'active' as const,
      verifiedAt: '2026-11-01T05:01:00.000Z',
      effectiveMonth: options.effectiveMonth ?? options.period,
      district: account.district,
    },
  }));
  await deps.subscriptions.importActive(
    stored.map(({ subscription }) => ({ subscription, shard: fanOutShard(subscription.id, shards) })),
    deps.config.subscriptions.maxPhonesPerAccount,
  );
  return stored;
}
