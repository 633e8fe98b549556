// Filing a complaint (native API and Open311 alike) and looking one up by its tracking code.
import { randomBytes, randomUUID } from 'node:crypto';
import distance from '@turf/distance';
import { point } from '@turf/helpers';
import type { ComplaintTypeConfig } from '#config/complaints';
import { localize, primaryLanguage, type RateLimitConfig } from '#config/schema';
import {
  type Complaint,
  type ComplaintInput,
  checkAttributes,
  isOpen,
  normalizeTrackingCode,
  type PublicComplaintView,
  publicView,
  shownPublicly,
  TRACKING_CODE_PATTERN,
  trackingCodeFrom,
} from '#domain/complaint';
import { routeComplaint } from '#domain/complaint-routing';
import { AppError, NotFoundError, RateLimitedError, ValidationError } from '#domain/errors';
import { toE164 } from '#domain/phone';
import { secondsUntil } from '#domain/rate-window';
import { accountNumberMatches } from './account-number.ts';
import { windowCounter } from './limits.ts';
import type { Deps } from './ports.ts';

/** Where a complaint comes from: the address that sent it, and for Open311 the partner key that filed it. */
export type ComplaintOrigin =
  | { client: string; channel: 'api' }
  | { client: string; channel: 'open311'; keyId: string };

/** A complaint that looks like the new one, as the reporter may see it (nothing of anyone else's contact data). */
export interface DuplicateHint {
  /** Absent for a private complaint of the same account: its existence is shown, not a handle to it. */
  trackingCode?: string;
  type: string;
  typeName: string;
  status: Complaint['status'];
  createdAt: string;
  why: 'nearby' | 'same-account';
  /** How far away, for a nearby public one. */
  meters?: number;
}

export interface FiledComplaint {
  complaint: Complaint;
  possibleDuplicates: DuplicateHint[];
}

/** The reporter has not yet seen the complaints that look like theirs: shown first, filed only when confirmed. */
export class PossibleDuplicateError extends AppError {
  constructor(readonly hints: DuplicateHint[]) {
    super(
      'conflict',
      'possible-duplicate',
      'Complaints like this one were filed recently. If yours is a different problem, send it again with "confirmDuplicates": true.',
      { possibleDuplicates: hints },
    );
    this.name = 'PossibleDuplicateError';
  }
}

const TRACKING_CODE_ATTEMPTS = 5;
const COUNTERS = {
  phone: 'complaint-phone',
  client: 'complaint-client',
  apiKey: 'complaint-apikey',
} as const;
/** A partner's own users file through it, so the key's limit replaces the per-address one. */
const OPEN_STATUSES = ['received', 'assigned', 'in_progress'] as const;
const DUPLICATE_SCAN_LIMIT = 200;

export function complaintType(deps: Pick<Deps, 'config'>, code: string): ComplaintTypeConfig | undefined {
  return deps.config.complaints.types.find((t) => t.code === code);
}

/**
 * Checks and files a complaint: type and answers, contact data, limits, routing, the duplicate hint, a unique
 * tracking code. Nothing is written unless every check passed.
 */
export async function fileComplaint(
  deps: Pick<Deps, 'config' | 'clock' | 'complaints' | 'counters'>,
  input: ComplaintInput,
  origin: ComplaintOrigin,
): Promise<FiledComplaint> {
  const { config } = deps;
  const type = complaintType(deps, input.type);
  if (!type) {
    throw new ValidationError(
      `There is no complaint type "${input.type}".`,
      [{ field: 'body.type', message: `one of: ${config.complaints.types.map((t) => t.code).join(', ')}` }],
      'unknown-complaint-type',
    );
  }
  const attributes = checkAttributes(type, input.attributes);
  const phone = input.phone === undefined ? undefined : toE164(input.phone, config.country);
  if (input.phone !== undefined && !phone) {
    throw new ValidationError('The phone number is not a valid number.', [
      { field: 'body.phone', message: `a phone number in ${config.country} or in international form` },
    ]);
  }
  if (input.contactConsent && !phone) {
    throw new ValidationError('Updates by SMS need a phone number.', [
      { field: 'body.phone', message: 'required with contactConsent' },
    ]);
  }
  if (input.accountNumber !== undefined && !accountNumberMatches(config, input.accountNumber)) {
    throw new ValidationError('The account number is not in the format printed on the bill.', [
      { field: 'body.accountNumber', message: `like ${config.accountNumber.example}` },
    ]);
  }
  if (input.districtCode !== undefined && !config.districts.some((d) => d.code === input.districtCode)) {
    throw new ValidationError(`There is no district "${input.districtCode}".`, [
      { field: 'body.districtCode', message: `one of: ${config.districts.map((d) => d.code).join(', ')}` },
    ]);
  }
  const language =
    input.language && config.languages.includes(input.language) ? input.language : primaryLanguage(config);
  const now = deps.clock.now();
  await countFiling(deps, origin, phone, now.getTime());

  const routing = routeComplaint(config.districts, input);
  const createdAt = now.toISOString();
  const draft: Omit<Complaint, 'trackingCode'> = {
    id: randomUUID(),
    type: type.code,
    description: input.description,
    district: routing.district,
    routedBy: routing.routedBy,
    ...(input.address ? { address: input.address } : {}),
    ...(input.location ? { location: input.location } : {}),
    ...(input.accountNumber ? { accountNumber: input.accountNumber } : {}),
    ...(phone ? { phone } : {}),
    contactConsent: input.contactConsent,
    language,
    attributes,
    status: 'received',
    createdAt,
    updatedAt: createdAt,
    dueAt: new Date(now.getTime() + type.slaHours * 3_600_000).toISOString(),
    duplicates: [],
    possibleDuplicates: [],
    photos: [],
    history: [{ at: createdAt, by: { kind: 'resident' }, action: 'filed' }],
    source: origin.channel === 'open311' ? { channel: 'open311', keyId: origin.keyId } : { channel: 'api' },
    version: 1,
  };
  const lookalikes = await findLookalikes(deps, draft, type, language, now.getTime());
  // The reporter is shown only public complaints nearby. A private one is someone else's home, and an account's
  // complaints would answer anyone who types its number: staff see those on the new complaint, the reporter does not.
  const shown = lookalikes.filter((l) => l.hint.why === 'nearby' && l.hint.trackingCode !== undefined);
  if (shown.length > 0 && !input.confirmDuplicates && origin.channel === 'api') {
    throw new PossibleDuplicateError(shown.map((l) => l.hint));
  }
  const complaint = await createWithTrackingCode(deps, {
    ...draft,
    possibleDuplicates: lookalikes.map((l) => l.trackingCode),
  });
  return { complaint, possibleDuplicates: shown.map((l) => l.hint) };
}

/** Counts the filing against the phone's limit and the client's (or, for Open311, the api key's). */
async function countFiling(
  deps: Pick<Deps, 'config' | 'counters'>,
  origin: ComplaintOrigin,
  phone: string | undefined,
  now: number,
): Promise<void> {
  const { limits } = deps.config.complaints;
  const checks: Array<{ scope: string; id: string; limit: RateLimitConfig; what: string }> = [
    origin.channel === 'open311'
      ? { scope: COUNTERS.apiKey, id: origin.keyId, limit: limits.perApiKey, what: 'this api_key' }
      : { scope: COUNTERS.client, id: origin.client, limit: limits.perClient, what: 'this address' },
  ];
  if (phone)
    checks.push({ scope: COUNTERS.phone, id: phone, limit: limits.perPhone, what: 'this phone number' });
  for (const check of checks) {
    const window = windowCounter(check.scope, check.id, check.limit, now);
    const count = await deps.counters.increment(window.counter, check.limit.max, window.endsAt + 60_000);
    if (count === undefined) {
      throw new RateLimitedError(
        'complaint-rate-limited',
        `Too many complaints from ${check.what}: at most ${check.limit.max} in ${check.limit.windowMinutes} minutes.`,
        secondsUntil(window.endsAt, now),
      );
    }
  }
}

interface Lookalike {
  trackingCode: string;
  hint: DuplicateHint;
}

/**
 * Open complaints that look like the draft: the same type close by (or at the same address) lately, or any from the
 * same account lately. Staff see them all on the complaint; the reporter sees only what is public.
 */
async function findLookalikes(
  deps: Pick<Deps, 'config' | 'complaints'>,
  draft: Omit<Complaint, 'trackingCode'>,
  type: ComplaintTypeConfig,
  language: string,
  now: number,
): Promise<Lookalike[]> {
  const { duplicates } = deps.config.complaints;
  const nameOf = (code: string) => {
    const t = complaintType(deps, code);
    return t ? localize(deps.config, t.name, language) : code;
  };
  const found = new Map<string, Lookalike>();
  if (draft.location || draft.address) {
    const since = new Date(now - duplicates.nearbyHours * 3_600_000).toISOString();
    const pages = await Promise.all(
      OPEN_STATUSES.map((status) =>
        deps.complaints.listQueue(draft.district, status, { limit: DUPLICATE_SCAN_LIMIT, from: since }),
      ),
    );
    for (const other of pages.flatMap((p) => p.items)) {
      if (other.type !== draft.type || other.mergedInto) continue;
      const meters =
        draft.location && other.location
          ? Math.round(
              distance(
                point([draft.location.long, draft.location.lat]),
                point([other.location.long, other.location.lat]),
                {
                  units: 'meters',
                },
              ),
            )
          : undefined;
      const near = meters !== undefined && meters <= duplicates.distanceMeters;
      const sameAddress =
        draft.address !== undefined && other.address !== undefined && sameText(draft.address, other.address);
      if (!near && !sameAddress) continue;
      // The other's own answers decide: an indoor leak next door is a home, though leaks are public.
      const shown = shownPublicly(other, type);
      found.set(other.trackingCode, {
        trackingCode: other.trackingCode,
        hint: {
          ...(shown ? { trackingCode: other.trackingCode } : {}),
          type: other.type,
          typeName: nameOf(other.type),
          status: other.status,
          createdAt: other.createdAt,
          why: 'nearby',
          ...(shown && meters !== undefined ? { meters } : {}),
        },
      });
    }
  }
  if (draft.accountNumber) {
    const since = new Date(now - duplicates.sameAccountHours * 3_600_000).toISOString();
    const mine = await deps.complaints.listByAccount(draft.accountNumber, since, 20);
    for (const other of mine) {
      if (!isOpen(other.status) || other.mergedInto || found.has(other.trackingCode)) continue;
      const otherType = complaintType(deps, other.type);
      found.set(other.trackingCode, {
        trackingCode: other.trackingCode,
        // Anyone can type an account number: only a public complaint's code is shown back.
        hint: {
          ...(otherType && shownPublicly(other, otherType) ? { trackingCode: other.trackingCode } : {}),
          type: other.type,
          typeName: nameOf(other.type),
          status: other.status,
          createdAt: other.createdAt,
          why: 'same-account',
        },
      });
    }
  }
  return [...found.values()];
}

function sameText(a: string, b: string): boolean {
  const plain = (s: string) =>
    s
      .normalize('NFC')
      .toLowerCase()
      .replace(/[\s,.\-#]+/g, '');
  return plain(a) === plain(b);
}

async function createWithTrackingCode(
  deps: Pick<Deps, 'complaints'>,
  draft: Omit<Complaint, 'trackingCode'>,
): Promise<Complaint> {
  for (let attempt = 0; attempt < TRACKING_CODE_ATTEMPTS; attempt++) {
    const complaint: Complaint = { ...draft, trackingCode: trackingCodeFrom(randomBytes(8)) };
    if ((await deps.complaints.create(complaint)) === 'created') return complaint;
  }
  // 32^8 codes: five taken in a row means something else is wrong.
  throw new Error(`No free tracking code after ${TRACKING_CODE_ATTEMPTS} attempts`);
}

/** The public view of a complaint by its tracking code, in `language`. 404 for a code that names none. */
export async function trackComplaint(
  deps: Pick<Deps, 'config' | 'complaints'>,
  typedCode: string,
  language: string,
): Promise<PublicComplaintView> {
  const code = normalizeTrackingCode(typedCode);
  const complaint = TRACKING_CODE_PATTERN.test(code)
    ? await deps.complaints.getByTrackingCode(code)
    : undefined;
  const type = complaint && complaintType(deps, complaint.type);
  if (!complaint || !type) {
    throw new NotFoundError('complaint-not-found', `No complaint has the tracking code "${typedCode}".`);
  }
  return publicView(complaint, type, localize(deps.config, type.name, language));
}
