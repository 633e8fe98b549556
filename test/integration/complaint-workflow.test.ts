// The staff workflow on DynamoDB Local: queues, transitions, notes, merges, district scoping and the reporter's SMS.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addComplaintNote,
  forwardComplaint,
  getComplaint,
  listComplaints,
  mergeComplaint,
  transitionComplaint,
} from '#app/complaint-workflow';
import {
  allowedTransitions,
  COMPLAINT_STATUSES,
  type Complaint,
  type ComplaintStatus,
  canTransition,
} from '#domain/complaint';
import { AppError } from '#domain/errors';
import type { StaffPrincipal } from '#domain/staff';
import { quietHoursEndSchedule } from '#handlers/schedule/schedules';
import { aComplaint } from '../support/builders.ts';
import { anotherInstance, type TestWorld, testWorld } from '../support/deps.ts';

const admin: StaffPrincipal = { subject: 'admin-1', roles: ['admin'], districts: [], allDistricts: true };
const jongnoClerk: StaffPrincipal = {
  subject: 'clerk-jongno',
  roles: ['staff'],
  districts: ['11110'],
  allDistricts: false,
};

let world: TestWorld;

beforeEach(async () => {
  // 10:00 KST on Tuesday 1 December 2026: outside Seoul's quiet hours (21:00-08:00).
  world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
});

async function file(over: Partial<Complaint> = {}): Promise<Complaint> {
  const complaint = aComplaint(over);
  expect(await world.deps.complaints.create(complaint)).toBe('created');
  return complaint;
}

async function problemOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const updatesTo = (phone: string) => world.sms.list(phone).filter((m) => m.purpose === 'complaint-update');

describe('the workflow', () => {
  it('takes a leak from received to resolved, recording who did what when, and texts the reporter twice', async () => {
    // A resident reported a leak with their phone and consent; the Jongno office handles it over an afternoon.
    const leak = await file();

    await transitionComplaint(world.deps, jongnoClerk, leak.id, { to: 'assigned', note: 'crew 3' });
    world.clock.advance(2 * 3600_000);
    await transitionComplaint(world.deps, jongnoClerk, leak.id, { to: 'in_progress' });
    world.clock.advance(3 * 3600_000);
    const { complaint } = await transitionComplaint(world.deps, jongnoClerk, leak.id, {
      to: 'resolved',
      note: 'pipe joint replaced',
    });

    expect(complaint.status).toBe('resolved');
    expect(complaint.resolvedAt).toBe('2026-12-01T06:00:00.000Z');
    expect(complaint.allowedTransitions).toEqual([]);
    expect(complaint.history.slice(1)).toEqual([
      {
        at: '2026-12-01T01:00:00.000Z',
        by: { kind: 'staff', subject: 'clerk-jongno' },
        action: 'transition',
        from: 'received',
        to: 'assigned',
        note: 'crew 3',
      },
      {
        at: '2026-12-01T03:00:00.000Z',
        by: { kind: 'staff', subject: 'clerk-jongno' },
        action: 'transition',
        from: 'assigned',
        to: 'in_progress',
      },
      {
        at: '2026-12-01T06:00:00.000Z',
        by: { kind: 'staff', subject: 'clerk-jongno' },
        action: 'transition',
        from: 'in_progress',
        to: 'resolved',
        note: 'pipe joint replaced',
      },
    ]);
    // Assigned and resolved are news to the reporter; "in progress" is not. In Korean, with the tracking code.
    const texts = updatesTo('+821055501234').map((m) => m.body);
    expect(texts).toHaveLength(2);
    expect(texts.every((t) => t.includes('K7M2QX9A'))).toBe(true);
    expect(texts.some((t) => t.includes('배정'))).toBe(true);
    expect(texts.some((t) => t.includes('완료'))).toBe(true);
    expect((await world.deps.complaints.get(leak.id))?.version).toBe(4);
  });

  it('refuses every move the workflow does not allow, naming the moves it does, and writes nothing', async () => {
    for (const from of COMPLAINT_STATUSES) {
      for (const to of COMPLAINT_STATUSES) {
        if (canTransition(from, to)) continue;
        // A complaint that was filed in `from` (no earlier transition, so a move to `from` is no retry either).
        const complaint = await file({
          id: `c-${from}-${to}`,
          trackingCode: codeFor(from, to),
          status: from,
          ...(from === 'rejected' ? { rejectReason: 'not ours' } : {}),
        });
        const problem = await problemOf(
          transitionComplaint(world.deps, admin, complaint.id, { to, note: 'a reason' }),
        );
        expect(problem.kind, `${from} -> ${to}`).toBe('conflict');
        expect(problem.type).toBe('transition-not-allowed');
        expect(problem.extensions).toEqual({ from, to, allowed: allowedTransitions(from) });
        expect((await world.deps.complaints.get(complaint.id))?.version).toBe(1);
      }
    }
    expect(world.sms.list()).toEqual([]);
  });

  it('rejects only with a reason, which the reporter is told in their language', async () => {
    // A Russian-speaking resident reported a leak that turns out to be the building's own pipe.
    const leak = await file({ language: 'ru' });

    const noReason = await problemOf(transitionComplaint(world.deps, admin, leak.id, { to: 'rejected' }));
    expect(noReason.kind).toBe('invalid');
    expect(noReason.extensions).toEqual({
      errors: [{ field: 'body.note', message: 'required when rejecting' }],
    });

    const { complaint } = await transitionComplaint(world.deps, admin, leak.id, {
      to: 'rejected',
      note: 'Труба внутри дома: обратитесь в управляющую компанию.',
    });
    expect(complaint.rejectReason).toBe('Труба внутри дома: обратитесь в управляющую компанию.');
    expect(complaint.resolvedAt).toBe('2026-12-01T01:00:00.000Z');
    const [text] = updatesTo('+821055501234');
    expect(text?.body).toContain('обращение K7M2QX9A');
    expect(text?.body).toContain('управляющую компанию');
  });

  it('answers a retried transition as it was and texts the reporter once', async () => {
    // The clerk's console timed out after the assignment was written and sent the same request again.
    const leak = await file();
    const first = await transitionComplaint(world.deps, jongnoClerk, leak.id, { to: 'assigned' });
    const again = await transitionComplaint(world.deps, jongnoClerk, leak.id, { to: 'assigned' });

    expect(first.repeated).toBe(false);
    expect(again.repeated).toBe(true);
    expect(again.complaint.version).toBe(2);
    expect(updatesTo('+821055501234')).toHaveLength(1);
  });

  it('sends nothing to a reporter who gave no consent', async () => {
    const leak = await file({ contactConsent: false });
    const { reporterUpdate } = await transitionComplaint(world.deps, admin, leak.id, { to: 'assigned' });
    expect(reporterUpdate).toBe('not-asked');
    expect(world.sms.list()).toEqual([]);
  });

  it('applies a transition that lost a race to a note on the version it reads again, keeping both', async () => {
    // Two clerks work on the same complaint: one adds a note just as the other assigns it.
    const leak = await file();
    const store = world.deps.complaints;
    let raced = false;
    world.deps.complaints = Object.assign(Object.create(store), {
      update: async (writes: Parameters<typeof store.update>[0]) => {
        if (!raced) {
          raced = true;
          await addComplaintNote(anotherInstance(world), admin, leak.id, 'caller rang again');
        }
        return store.update(writes);
      },
    });

    const { complaint } = await transitionComplaint(world.deps, jongnoClerk, leak.id, { to: 'assigned' });

    expect(complaint.status).toBe('assigned');
    expect(complaint.version).toBe(3);
    expect(complaint.history.map((e) => e.action)).toEqual(['filed', 'note', 'transition']);
  });

  it('keeps internal notes in the history, never in the public record', async () => {
    const leak = await file();
    const view = await addComplaintNote(
      world.deps,
      jongnoClerk,
      leak.id,
      '  neighbour says it started Sunday ',
    );
    expect(view.history.at(-1)).toMatchObject({
      action: 'note',
      note: 'neighbour says it started Sunday',
      by: { kind: 'staff', subject: 'clerk-jongno' },
    });
    expect(view.status).toBe('received');
    expect((await problemOf(addComplaintNote(world.deps, admin, leak.id, '  '))).kind).toBe('invalid');
  });
});

describe('district scoping', () => {
  it('shows a clerk their district only: another district is 403 to list and absent to read or change', async () => {
    // A Jongno clerk; a complaint in Jung-gu (11140) and one no district could be found for (central desk).
    const ours = await file();
    const theirs = await file({ id: 'c-jung', trackingCode: 'P4T8W2RA', district: '11140' });
    const central = await file({ id: 'c-central', trackingCode: 'H3N6V1CB', district: 'central' });

    const mine = await listComplaints(world.deps, jongnoClerk, { status: 'received', limit: 10 });
    expect(mine.district).toBe('11110');
    expect(mine.items.map((c) => c.id)).toEqual([ours.id]);

    for (const district of ['11140', 'central']) {
      const problem = await problemOf(
        listComplaints(world.deps, jongnoClerk, { district, status: 'received', limit: 10 }),
      );
      expect(problem.kind).toBe('forbidden');
      expect(problem.type).toBe('complaint-district-forbidden');
    }
    for (const other of [theirs, central]) {
      expect((await problemOf(getComplaint(world.deps, jongnoClerk, other.id))).kind).toBe('not-found');
      const move = transitionComplaint(world.deps, jongnoClerk, other.trackingCode, { to: 'assigned' });
      expect((await problemOf(move)).type).toBe('complaint-not-found');
      expect((await world.deps.complaints.get(other.id))?.status).toBe('received');
    }

    // An admin sees every queue, the central desk's too, but names the one to list.
    const desk = await listComplaints(world.deps, admin, {
      district: 'central',
      status: 'received',
      limit: 10,
    });
    expect(desk.items.map((c) => c.id)).toEqual([central.id]);
    expect((await problemOf(listComplaints(world.deps, admin, { status: 'received', limit: 10 }))).kind).toBe(
      'invalid',
    );
    expect(
      (
        await problemOf(
          listComplaints(world.deps, admin, { district: 'nowhere', status: 'received', limit: 10 }),
        )
      ).kind,
    ).toBe('invalid');
  });

  it('lists a queue oldest first, a page at a time, and finds a complaint by its tracking code too', async () => {
    const codes = ['K7M2QX9A', 'P4T8W2RA', 'H3N6V1CB'];
    for (const [i, trackingCode] of codes.entries()) {
      await file({ id: `c-${i}`, trackingCode, createdAt: `2026-11-2${7 - i}T00:00:00.000Z` });
    }
    const first = await listComplaints(world.deps, jongnoClerk, { status: 'received', limit: 2 });
    expect(first.items.map((c) => c.trackingCode)).toEqual(['H3N6V1CB', 'P4T8W2RA']);
    const second = await listComplaints(world.deps, jongnoClerk, {
      status: 'received',
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((c) => c.trackingCode)).toEqual(['K7M2QX9A']);
    expect(second.nextCursor).toBeUndefined();

    const view = await getComplaint(world.deps, jongnoClerk, 'p4t8-w2ra');
    expect(view.id).toBe('c-1');
    expect(view.phone).toBe('+821055501234');
    expect(view.allowedTransitions).toEqual(['assigned', 'rejected']);
  });
});

describe('merging a duplicate', () => {
  it('closes the duplicate into the original in one write and tells its reporter which code to follow', async () => {
    // Two neighbours reported the same leak; the clerk merges the later one into the first.
    const original = await file({ trackingCode: 'K7M2QX9A', status: 'assigned' });
    const duplicate = await file({
      id: 'c-dup',
      trackingCode: 'P4T8W2RA',
      phone: '+821055505678',
      createdAt: '2026-12-01T00:30:00.000Z',
    });

    const result = await mergeComplaint(world.deps, jongnoClerk, duplicate.id, 'k7m2qx9a');

    expect(result.complaint).toMatchObject({ status: 'resolved', mergedInto: 'K7M2QX9A' });
    expect(result.complaint.history.at(-1)).toMatchObject({
      action: 'merged',
      from: 'received',
      to: 'resolved',
      other: 'K7M2QX9A',
    });
    expect(result.original.duplicates).toEqual(['P4T8W2RA']);
    expect(result.original.history.at(-1)).toMatchObject({ action: 'duplicate-merged', other: 'P4T8W2RA' });
    expect((await world.deps.complaints.get(original.id))?.duplicates).toEqual(['P4T8W2RA']);
    const [text] = updatesTo('+821055505678');
    expect(text?.body).toContain('K7M2QX9A');
    expect(updatesTo('+821055501234')).toEqual([]);

    // The same merge again is a retry; a third complaint cannot merge into the now-resolved duplicate.
    expect((await mergeComplaint(world.deps, jongnoClerk, duplicate.id, 'K7M2QX9A')).repeated).toBe(true);
    expect(updatesTo('+821055505678')).toHaveLength(1);
    const third = await file({ id: 'c-third', trackingCode: 'H3N6V1CB' });
    expect((await problemOf(mergeComplaint(world.deps, admin, third.id, 'P4T8W2RA'))).type).toBe(
      'merge-target-closed',
    );
  });

  it('refuses a merge into itself, of a merged or closed complaint, and across districts for a clerk', async () => {
    const original = await file();
    const other = await file({ id: 'c-other', trackingCode: 'P4T8W2RA' });
    const closed = await file({ id: 'c-closed', trackingCode: 'H3N6V1CB', status: 'resolved' });
    const jung = await file({ id: 'c-jung', trackingCode: 'Z9R5G7DE', district: '11140' });

    expect((await problemOf(mergeComplaint(world.deps, admin, original.id, 'K7M2QX9A'))).kind).toBe(
      'invalid',
    );
    expect((await problemOf(mergeComplaint(world.deps, admin, closed.id, 'K7M2QX9A'))).type).toBe(
      'complaint-closed',
    );
    expect((await problemOf(mergeComplaint(world.deps, jongnoClerk, other.id, 'Z9R5G7DE'))).type).toBe(
      'complaint-not-found',
    );
    await mergeComplaint(world.deps, admin, other.id, 'K7M2QX9A');
    expect((await problemOf(mergeComplaint(world.deps, admin, other.id, jung.trackingCode))).type).toBe(
      'complaint-already-merged',
    );
    expect((await world.deps.complaints.get(jung.id))?.version).toBe(1);
  });
});

describe('SMS updates in the quiet hours', () => {
  it('holds an update made at night and sends it once when the quiet hours end', async () => {
    // The night shift assigns a leak at 23:00 KST; the reporter hears of it at 08:00, not at once.
    world.clock.set(new Date('2026-12-01T14:00:00Z'));
    const leak = await file();

    const { reporterUpdate } = await transitionComplaint(world.deps, admin, leak.id, { to: 'assigned' });
    expect(reporterUpdate).toBe('held');
    // A retry of the request during the night holds the same message, not a second one.
    await transitionComplaint(world.deps, admin, leak.id, { to: 'assigned' });
    expect(updatesTo('+821055501234')).toEqual([]);

    const endOfQuiet = new Date('2026-12-01T23:00:00Z');
    world.clock.set(endOfQuiet);
    await quietHoursEndSchedule.run(world.deps, { name: 'quiet-hours-end', scheduledAt: endOfQuiet });
    await quietHoursEndSchedule.run(world.deps, { name: 'quiet-hours-end', scheduledAt: endOfQuiet });

    const sent = updatesTo('+821055501234');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toContain('K7M2QX9A');
  });
});

/** A distinct valid tracking code for each (from, to) pair. */
function codeFor(from: ComplaintStatus, to: ComplaintStatus): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const i = COMPLAINT_STATUSES.indexOf(from);
  const j = COMPLAINT_STATUSES.indexOf(to);
  return `QQQQQQ${alphabet[i]}${alphabet[j]}`;
}

describe('forwarding to a district', () => {
  it("sends a central-desk complaint to the district it belongs to, where that district's clerk then has it", async () => {
    // Nothing in the report placed it; the call centre reads the description and forwards it to Jongno.
    const unplaced = await file({
      id: 'c-unplaced',
      trackingCode: 'UNPL4CED',
      district: 'central',
      routedBy: 'central',
    });
    expect((await problemOf(getComplaint(world.deps, jongnoClerk, unplaced.id))).kind).toBe('not-found');

    world.clock.advance(30 * 60_000);
    const forwarded = await forwardComplaint(world.deps, admin, unplaced.id, {
      district: '11110',
      note: 'Sejong-daero 12 is in Jongno',
    });
    expect(forwarded).toMatchObject({ district: '11110', routedBy: 'staff', dueAt: unplaced.dueAt });
    expect(forwarded.history.at(-1)).toEqual({
      at: '2026-12-01T01:30:00.000Z',
      by: { kind: 'staff', subject: 'admin-1' },
      action: 'routed',
      note: 'Sejong-daero 12 is in Jongno',
      fromDistrict: 'central',
      toDistrict: '11110',
    });
    const jongno = await listComplaints(world.deps, jongnoClerk, { status: 'received', limit: 10 });
    expect(jongno.items.map((c) => c.id)).toEqual(['c-unplaced']);
    expect((await world.deps.complaints.listQueue('central', 'received', { limit: 10 })).items).toEqual([]);
  });

  it("refuses an unknown district, the same district, a closed complaint, and another district's complaint", async () => {
    const leak = await file();
    const elsewhere = await file({ id: 'c-jung', trackingCode: 'JUNG0001', district: '11140' });
    // Each attempt starts only when the one before has been answered: started together, a refusal
    // that arrives before its turn to be awaited would be an unhandled rejection.
    const cases: Array<[() => Promise<unknown>, string]> = [
      [
        () => forwardComplaint(world.deps, admin, leak.id, { district: '99999', note: 'x' }),
        'validation-error',
      ],
      [
        () => forwardComplaint(world.deps, admin, leak.id, { district: '11110', note: 'x' }),
        'complaint-already-there',
      ],
      [
        () => forwardComplaint(world.deps, jongnoClerk, elsewhere.id, { district: '11110', note: 'x' }),
        'complaint-not-found',
      ],
    ];
    for (const [attempt, type] of cases) expect((await problemOf(attempt())).type).toBe(type);
    await transitionComplaint(world.deps, admin, leak.id, { to: 'rejected', note: 'not ours' });
    const closed = await problemOf(
      forwardComplaint(world.deps, admin, leak.id, { district: '11140', note: 'x' }),
    );
    expect(closed.type).toBe('complaint-closed');
  });
});
