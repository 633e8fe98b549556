// Use cases of the staff workflow: a district's queue, one complaint in full, transitions, internal notes and merges.
import { localize } from '#config/schema';
import {
  allowedTransitions,
  CENTRAL_DESK,
  type Complaint,
  type ComplaintStatus,
  canTransition,
  type HistoryEntry,
  isOpen,
  normalizeTrackingCode,
  TRACKING_CODE_PATTERN,
} from '#domain/complaint';
import type { ComplaintUpdateEvent } from '#domain/complaint-texts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#domain/errors';
import { canSeeDistrict, type StaffPrincipal } from '#domain/staff';
import { notifyReporter, type UpdateDeps, type UpdateOutcome } from './complaint-updates.ts';
import type { Deps } from './ports.ts';

type WorkflowDeps = UpdateDeps & Pick<Deps, 'complaints'>;

/** Optimistic writes tried before a busy complaint is reported as a conflict: each lost race reads it again. */
const MAX_ATTEMPTS = 5;

/** A complaint as staff see it: everything, with its type's name and the moves it allows now. */
export interface StaffComplaintView extends Complaint {
  typeName: string;
  allowedTransitions: readonly ComplaintStatus[];
}

/** One line of a queue: enough to pick a complaint, without its history and photos. */
export type QueuedComplaint = Pick<
  Complaint,
  | 'id'
  | 'trackingCode'
  | 'type'
  | 'status'
  | 'district'
  | 'description'
  | 'address'
  | 'createdAt'
  | 'updatedAt'
  | 'dueAt'
  | 'slaBreachedAt'
  | 'possibleDuplicates'
> & { typeName: string };

export interface QueueRequest {
  district?: string;
  status: ComplaintStatus;
  limit: number;
  cursor?: string;
}

/**
 * A district's complaints in one status, oldest first. A clerk names one of their districts (or none, when they
 * have one); naming another is a 403, as for announcements. The central desk's queue is for staff of all districts.
 */
export async function listComplaints(
  deps: Pick<Deps, 'config' | 'complaints'>,
  staff: StaffPrincipal,
  request: QueueRequest,
): Promise<{ district: string; status: ComplaintStatus; items: QueuedComplaint[]; nextCursor?: string }> {
  const district = queueDistrict(deps.config, staff, request.district);
  const page = await deps.complaints.listQueue(district, request.status, {
    limit: request.limit,
    cursor: request.cursor,
  });
  return {
    district,
    status: request.status,
    items: page.items.map((c) => ({
      id: c.id,
      trackingCode: c.trackingCode,
      type: c.type,
      typeName: typeNameOf(deps.config, c.type),
      status: c.status,
      district: c.district,
      description: c.description,
      ...(c.address ? { address: c.address } : {}),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      dueAt: c.dueAt,
      ...(c.slaBreachedAt ? { slaBreachedAt: c.slaBreachedAt } : {}),
      possibleDuplicates: c.possibleDuplicates,
    })),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  };
}

/** The queues a staff member may read: the configured districts and the central desk, as their groups allow. */
export function visibleQueues(config: Deps['config'], staff: StaffPrincipal): string[] {
  return [...config.districts.map((d) => d.code), CENTRAL_DESK].filter((d) => canSeeDistrict(staff, d));
}

function queueDistrict(config: Deps['config'], staff: StaffPrincipal, named: string | undefined): string {
  const visible = visibleQueues(config, staff);
  if (named !== undefined) {
    const known = [...config.districts.map((d) => d.code), CENTRAL_DESK];
    if (!known.includes(named)) {
      throw new ValidationError(`No district "${named}"; the queues are ${known.join(', ')}.`, [
        { field: 'query.district', message: 'unknown district' },
      ]);
    }
    if (!visible.includes(named)) {
      throw new ForbiddenError(
        'complaint-district-forbidden',
        `Your account sees the complaints of ${staff.districts.join(', ') || 'no district'} only, not ${named}.`,
      );
    }
    return named;
  }
  const [only, ...more] = visible;
  if (only === undefined)
    throw new ForbiddenError('complaint-district-forbidden', 'Your account sees no district.');
  if (more.length > 0) {
    throw new ValidationError(`Name the queue to list: one of ${visible.join(', ')}.`, [
      { field: 'query.district', message: 'required for staff of more than one district' },
    ]);
  }
  return only;
}

/** One complaint in full, by its id or its tracking code; another district's is as absent as an unknown one. */
export async function getComplaint(
  deps: Pick<Deps, 'config' | 'complaints'>,
  staff: StaffPrincipal,
  idOrCode: string,
): Promise<StaffComplaintView> {
  return staffView(deps.config, await visibleComplaint(deps, staff, idOrCode));
}

export interface TransitionRequest {
  to: ComplaintStatus;
  note?: string;
}

export interface WorkflowResult {
  complaint: StaffComplaintView;
  /** The reporter's SMS about this change, when it is one they are told of. */
  reporterUpdate?: UpdateOutcome;
  /** The same request again (a retry): nothing changed, and the reporter's SMS is not sent twice. */
  repeated: boolean;
}

const EVENT_OF: Partial<Record<ComplaintStatus, ComplaintUpdateEvent>> = {
  assigned: 'assigned',
  resolved: 'resolved',
  rejected: 'rejected',
};

/**
 * Moves a complaint along the workflow: only the moves canTransition allows (409 naming those it does), a
 * rejection only with its reason. Appends the change to the history and tells the reporter of an assignment, a
 * resolution or a rejection. The same move again, right after it was made, is a retry: answered as it was.
 */
export async function transitionComplaint(
  deps: WorkflowDeps,
  staff: StaffPrincipal,
  idOrCode: string,
  request: TransitionRequest,
): Promise<WorkflowResult> {
  const note = request.note?.trim() || undefined;
  if (request.to === 'rejected' && !note) {
    throw new ValidationError('A rejection needs its reason in `note`: the reporter is told it.', [
      { field: 'body.note', message: 'required when rejecting' },
    ]);
  }
  const event = EVENT_OF[request.to];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const complaint = await visibleComplaint(deps, staff, idOrCode);
    if (complaint.status === request.to && lastMove(complaint) === request.to) {
      const reporterUpdate = event ? await notifyReporter(deps, complaint, event) : undefined;
      return { complaint: staffView(deps.config, complaint), reporterUpdate, repeated: true };
    }
    if (!canTransition(complaint.status, request.to)) {
      const allowed = allowedTransitions(complaint.status);
      throw new AppError(
        'conflict',
        'transition-not-allowed',
        `A complaint that is ${complaint.status} cannot become ${request.to}; ${
          allowed.length > 0 ? `it can become ${allowed.join(', ')}` : 'it is closed'
        }.`,
        { from: complaint.status, to: request.to, allowed },
      );
    }
    const at = deps.clock.now().toISOString();
    const closing = !isOpen(request.to);
    const next: Complaint = {
      ...complaint,
      status: request.to,
      updatedAt: at,
      ...(request.to === 'rejected' ? { rejectReason: note } : {}),
      ...(closing ? { resolvedAt: at } : {}),
      history: [
        ...complaint.history,
        entry(at, staff, {
          action: 'transition',
          from: complaint.status,
          to: request.to,
          ...(note ? { note } : {}),
        }),
      ],
    };
    if (await deps.complaints.update([{ complaint: next, expectedVersion: complaint.version }])) {
      const written = { ...next, version: complaint.version + 1 };
      const reporterUpdate = event ? await notifyReporter(deps, written, event) : undefined;
      return { complaint: staffView(deps.config, written), reporterUpdate, repeated: false };
    }
  }
  throw busy(idOrCode);
}

/** Adds an internal note to the history: staff see it, the public view never does. */
export async function addComplaintNote(
  deps: Pick<Deps, 'config' | 'clock' | 'complaints'>,
  staff: StaffPrincipal,
  idOrCode: string,
  note: string,
): Promise<StaffComplaintView> {
  const text = note.trim();
  if (!text) throw new ValidationError('The note is empty.', [{ field: 'body.note', message: 'required' }]);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const complaint = await visibleComplaint(deps, staff, idOrCode);
    const at = deps.clock.now().toISOString();
    const next: Complaint = {
      ...complaint,
      updatedAt: at,
      history: [...complaint.history, entry(at, staff, { action: 'note', note: text })],
    };
    if (await deps.complaints.update([{ complaint: next, expectedVersion: complaint.version }])) {
      return staffView(deps.config, { ...next, version: complaint.version + 1 });
    }
  }
  throw busy(idOrCode);
}

/**
 * Forwards an open complaint to another district's queue (or back to the central desk): the central desk's work for
 * complaints nothing placed, and the way to correct a wrong routing. The staff member must see the complaint where
 * it is; its deadline stays.
 */
export async function forwardComplaint(
  deps: Pick<Deps, 'config' | 'clock' | 'complaints'>,
  staff: StaffPrincipal,
  idOrCode: string,
  request: { district: string; note: string },
): Promise<StaffComplaintView> {
  const known = [...deps.config.districts.map((d) => d.code), CENTRAL_DESK];
  if (!known.includes(request.district)) {
    throw new ValidationError(`No district "${request.district}"; the queues are ${known.join(', ')}.`, [
      { field: 'body.district', message: 'unknown district' },
    ]);
  }
  const note = request.note.trim();
  if (!note)
    throw new ValidationError('Say why it goes there.', [{ field: 'body.note', message: 'required' }]);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const complaint = await visibleComplaint(deps, staff, idOrCode);
    if (!isOpen(complaint.status) || complaint.mergedInto) {
      throw new ConflictError(
        'complaint-closed',
        `Complaint ${idOrCode} is ${complaint.status}: it stays where it is.`,
      );
    }
    if (complaint.district === request.district) {
      throw new ConflictError(
        'complaint-already-there',
        `Complaint ${idOrCode} is already in ${request.district}.`,
      );
    }
    const at = deps.clock.now().toISOString();
    const next: Complaint = {
      ...complaint,
      district: request.district,
      routedBy: 'staff',
      updatedAt: at,
      history: [
        ...complaint.history,
        entry(at, staff, {
          action: 'routed',
          note,
          fromDistrict: complaint.district,
          toDistrict: request.district,
        }),
      ],
    };
    if (await deps.complaints.update([{ complaint: next, expectedVersion: complaint.version }])) {
      return staffView(deps.config, { ...next, version: complaint.version + 1 });
    }
  }
  throw busy(idOrCode);
}

/**
 * Merges a duplicate into the original complaint (named by its tracking code): the duplicate is resolved with
 * `mergedInto`, the original lists it among its duplicates, both in one write; the duplicate's reporter is told
 * which complaint to follow. Both must be the staff member's, distinct, the duplicate not merged yet and both
 * still open. The same merge again is a retry, answered as it was.
 */
export async function mergeComplaint(
  deps: WorkflowDeps,
  staff: StaffPrincipal,
  idOrCode: string,
  into: string,
): Promise<WorkflowResult & { original: StaffComplaintView }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const duplicate = await visibleComplaint(deps, staff, idOrCode);
    const original = await visibleComplaint(deps, staff, into);
    if (duplicate.id === original.id) {
      throw new ValidationError('A complaint cannot be merged into itself.', [
        { field: 'body.into', message: 'another complaint' },
      ]);
    }
    if (duplicate.mergedInto === original.trackingCode) {
      const reporterUpdate = await notifyReporter(deps, duplicate, 'merged');
      return {
        complaint: staffView(deps.config, duplicate),
        original: staffView(deps.config, original),
        reporterUpdate,
        repeated: true,
      };
    }
    if (duplicate.mergedInto) {
      throw new ConflictError(
        'complaint-already-merged',
        `${duplicate.trackingCode} was merged into ${duplicate.mergedInto} already.`,
      );
    }
    if (!isOpen(duplicate.status)) {
      throw new ConflictError(
        'complaint-closed',
        `${duplicate.trackingCode} is ${duplicate.status}: only an open complaint is merged.`,
      );
    }
    if (!isOpen(original.status)) {
      throw new ConflictError(
        'merge-target-closed',
        `${original.trackingCode} is ${original.status}: merge into an open complaint.`,
      );
    }
    const at = deps.clock.now().toISOString();
    const merged: Complaint = {
      ...duplicate,
      status: 'resolved',
      mergedInto: original.trackingCode,
      resolvedAt: at,
      updatedAt: at,
      history: [
        ...duplicate.history,
        entry(at, staff, {
          action: 'merged',
          from: duplicate.status,
          to: 'resolved',
          other: original.trackingCode,
        }),
      ],
    };
    const kept: Complaint = {
      ...original,
      duplicates: [...new Set([...original.duplicates, duplicate.trackingCode])],
      updatedAt: at,
      history: [
        ...original.history,
        entry(at, staff, { action: 'duplicate-merged', other: duplicate.trackingCode }),
      ],
    };
    const written = await deps.complaints.update([
      { complaint: merged, expectedVersion: duplicate.version },
      { complaint: kept, expectedVersion: original.version },
    ]);
    if (written) {
      const mergedNow = { ...merged, version: duplicate.version + 1 };
      const reporterUpdate = await notifyReporter(deps, mergedNow, 'merged');
      return {
        complaint: staffView(deps.config, mergedNow),
        original: staffView(deps.config, { ...kept, version: original.version + 1 }),
        reporterUpdate,
        repeated: false,
      };
    }
  }
  throw busy(idOrCode);
}

/** The complaint by id, or by tracking code as a resident quotes it; 404 unless the staff member's district. */
async function visibleComplaint(
  deps: Pick<Deps, 'complaints'>,
  staff: StaffPrincipal,
  idOrCode: string,
): Promise<Complaint> {
  const code = normalizeTrackingCode(idOrCode);
  const complaint =
    (await deps.complaints.get(idOrCode)) ??
    (TRACKING_CODE_PATTERN.test(code) ? await deps.complaints.getByTrackingCode(code) : undefined);
  // Another district's complaint is as absent to a clerk as one that does not exist.
  if (!complaint || !canSeeDistrict(staff, complaint.district)) {
    throw new NotFoundError('complaint-not-found', `There is no complaint ${idOrCode} in your districts.`);
  }
  return complaint;
}

/** The status the last transition moved the complaint to. */
function lastMove(complaint: Complaint): ComplaintStatus | undefined {
  return complaint.history.findLast((e) => e.action === 'transition')?.to;
}

function entry(at: string, staff: StaffPrincipal, change: Omit<HistoryEntry, 'at' | 'by'>): HistoryEntry {
  return { at, by: { kind: 'staff', subject: staff.subject }, ...change };
}

function staffView(config: Deps['config'], complaint: Complaint): StaffComplaintView {
  return {
    ...complaint,
    typeName: typeNameOf(config, complaint.type),
    allowedTransitions: allowedTransitions(complaint.status),
  };
}

export function typeNameOf(config: Deps['config'], code: string): string {
  const type = config.complaints.types.find((t) => t.code === code);
  return type ? localize(config, type.name, config.locale.slice(0, 2)) : code;
}

function busy(idOrCode: string): ConflictError {
  return new ConflictError(
    'complaint-busy',
    `Complaint ${idOrCode} kept changing while this request was applied; read it again and retry.`,
  );
}
