// The local SMS gateway keeps no opt-out list of its own: only the utility's own records count.
import type { ProviderOptOutList } from '#app/ports';

export const noProviderOptOuts: ProviderOptOutList = { isOptedOut: async () => false };
