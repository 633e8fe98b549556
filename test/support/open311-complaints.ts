// A complaint record as the filing use case writes it, for Open311 tests that seed the store directly.
import { randomBytes, randomUUID } from 'node:crypto';
import { type Complaint, trackingCodeFrom } from '#domain/complaint';

/** A complaint of `type` filed at `createdAt` (ISO), received, due a day later; any field can be overridden. */
export function aComplaint(overrides: Partial<Complaint> & { type: string; createdAt: string }): Complaint {
  const { type, createdAt } = overrides;
  return {
    id: randomUUID(),
    trackingCode: trackingCodeFrom(randomBytes(8)),
    description: 'Water is running down the street from a broken pipe.',
    district: '11110',
    routedBy: 'district-code',
    contactConsent: false,
    language: 'ko',
    attributes: {},
    status: 'received',
    updatedAt: createdAt,
    dueAt: new Date(Date.parse(createdAt) + 24 * 3600_000).toISOString(),
    duplicates: [],
    possibleDuplicates: [],
    photos: [],
    history: [{ at: createdAt, by: { kind: 'resident' }, action: 'filed' }],
    source: { channel: 'api' },
    version: 1,
    ...overrides,
    type,
  };
}
