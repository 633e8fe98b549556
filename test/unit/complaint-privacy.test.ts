// Which complaints strangers may see: a public type whose answers name no home. The tracking view and Open311's
// request view both follow that one rule.
import { describe, expect, it } from 'vitest';
import type { ComplaintTypeConfig } from '#config/complaints';
import { publicView, shownPublicly } from '#domain/complaint';
import { requestView } from '#domain/open311';
import { aComplaint } from '#test/support/open311-complaints';

const LEAK: ComplaintTypeConfig = {
  code: 'leak',
  name: { en: 'Leak' },
  description: { en: 'Water leaking.' },
  keywords: [],
  department: { en: 'Water supply section' },
  slaHours: 24,
  public: true,
  attributes: [
    {
      code: 'where',
      datatype: 'singlevaluelist',
      required: true,
      name: { en: 'Where is the leak?' },
      values: [
        { key: 'indoors', name: { en: 'Indoors' }, private: true },
        { key: 'outdoors', name: { en: 'Outdoors' } },
      ],
    },
    {
      code: 'seen',
      datatype: 'multivaluelist',
      required: false,
      name: { en: 'What do you see?' },
      values: [
        { key: 'puddle', name: { en: 'A puddle' } },
        { key: 'ceiling', name: { en: 'Water through my ceiling' }, private: true },
      ],
    },
  ],
};
const BILL_DISPUTE: ComplaintTypeConfig = { ...LEAK, code: 'bill-dispute', public: false, attributes: [] };

const context = (type: ComplaintTypeConfig) => ({
  type,
  localize: (text: Record<string, string>) => text.en ?? '',
  language: 'en',
  timeZone: 'Asia/Seoul',
  agency: 'Jongno-gu water office',
});

/** A rejected leak at a flat's address, with coordinates and a description naming the flat. */
const leakAt = (attributes: Record<string, string | string[]>) =>
  aComplaint({
    type: 'leak',
    createdAt: '2026-12-01T01:00:00.000Z',
    attributes,
    address: '서울 종로구 자하문로 1, 302호',
    location: { lat: 37.58, long: 126.97 },
    description: 'Water drips from the ceiling of flat 302.',
    status: 'rejected',
    rejectReason: 'Pipes inside flat 302 are the owner’s to repair.',
  });

describe('shownPublicly', () => {
  it('shows a public type’s complaint whose answers are all public, answered or not', () => {
    // A burst main on the road: the city should see where it is.
    expect(shownPublicly({ attributes: { where: 'outdoors' } }, LEAK)).toBe(true);
    expect(shownPublicly({ attributes: { where: 'outdoors', seen: ['puddle'] } }, LEAK)).toBe(true);
    // A partner's older filing without the answer at all.
    expect(shownPublicly({ attributes: {} }, LEAK)).toBe(true);
  });

  it('hides a public type’s complaint once one answer is private, single or among several', () => {
    // A leak inside a resident's flat: the type is public, this report is about a home.
    expect(shownPublicly({ attributes: { where: 'indoors' } }, LEAK)).toBe(false);
    expect(shownPublicly({ attributes: { where: 'outdoors', seen: ['puddle', 'ceiling'] } }, LEAK)).toBe(
      false,
    );
  });

  it('hides every complaint of a private type, whatever its answers', () => {
    // A bill dispute names a household and its money.
    expect(shownPublicly({ attributes: {} }, BILL_DISPUTE)).toBe(false);
  });
});

describe('the public views of a complaint with a private answer', () => {
  it('tracking view: no address, coordinates or rejection reason for an indoor leak; all of them outdoors', () => {
    const indoors = publicView(leakAt({ where: 'indoors' }), LEAK, 'Leak');
    expect(indoors).not.toHaveProperty('address');
    expect(indoors).not.toHaveProperty('location');
    expect(indoors).not.toHaveProperty('rejectReason');
    expect(JSON.stringify(indoors)).not.toContain('302');
    expect(indoors).toMatchObject({ type: 'leak', status: 'rejected' });

    const outdoors = publicView(leakAt({ where: 'outdoors' }), LEAK, 'Leak');
    expect(outdoors).toMatchObject({
      address: '서울 종로구 자하문로 1, 302호',
      location: { lat: 37.58, long: 126.97 },
      rejectReason: 'Pipes inside flat 302 are the owner’s to repair.',
    });
  });

  it('tracking view: a private type’s rejection reason stays with its reporter too', () => {
    // The reason for refusing a bill dispute is about the household's bill: the reporter has it by SMS.
    const dispute = { ...leakAt({}), type: 'bill-dispute' };
    expect(publicView(dispute, BILL_DISPUTE, 'Bill dispute')).not.toHaveProperty('rejectReason');
  });

  it('Open311: no address, coordinates, description or status notes for an indoor leak; all of them outdoors', () => {
    const indoors = requestView(leakAt({ where: 'indoors' }), context(LEAK));
    for (const field of ['address', 'lat', 'long', 'description']) expect(indoors).not.toHaveProperty(field);
    expect(indoors.status_notes).toBe('');
    expect(JSON.stringify(indoors)).not.toContain('302');

    const outdoors = requestView(leakAt({ where: 'outdoors' }), context(LEAK));
    expect(outdoors).toMatchObject({
      address: '서울 종로구 자하문로 1, 302호',
      lat: 37.58,
      long: 126.97,
      description: 'Water drips from the ceiling of flat 302.',
      status_notes: 'Pipes inside flat 302 are the owner’s to repair.',
    });
  });
});
