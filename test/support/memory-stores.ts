// The one set of in-memory doubles of the store ports, for tests that run the real use cases many thousand times
// (DynamoDB Local takes ~20 ms a call). test/integration/store-contracts.test.ts holds each to the same contract
// as its DynamoDB adapter, so a double cannot drift from the real store.
import type { Deps } from '#app/ports';
import { MemoryAccounts } from './memory/accounts.ts';
import { MemoryBills } from './memory/bills.ts';
import { MemoryCounters } from './memory/counters.ts';
import { MemoryInboundLog } from './memory/inbound-log.ts';
import { MemoryOptOuts } from './memory/opt-outs.ts';
import { MemoryOtps } from './memory/otps.ts';
import { MemoryOutbox } from './memory/outbox.ts';
import { MemoryReadings } from './memory/readings.ts';
import { MemorySubscriptions } from './memory/subscriptions.ts';

export {
  MemoryAccounts,
  MemoryBills,
  MemoryCounters,
  MemoryInboundLog,
  MemoryOptOuts,
  MemoryOtps,
  MemoryOutbox,
  MemoryReadings,
  MemorySubscriptions,
};

/** Every store port of `Deps`. */
export type Stores = Pick<
  Deps,
  'accounts' | 'bills' | 'readings' | 'inbound' | 'optOuts' | 'counters' | 'otps' | 'subscriptions' | 'outbox'
>;

/** A fresh set of doubles over one shared state, as the adapters share one table. */
export function memoryStores() {
  const accounts = new MemoryAccounts();
  const bills = new MemoryBills();
  const inbound = new MemoryInboundLog();
  return {
    accounts,
    bills,
    inbound,
    readings: new MemoryReadings(accounts, bills, inbound),
    optOuts: new MemoryOptOuts(),
    counters: new MemoryCounters(),
    otps: new MemoryOtps(),
    subscriptions: new MemorySubscriptions(),
    outbox: new MemoryOutbox(),
  } satisfies Stores;
}
