// Open311 GeoReport v2 mapped onto the native complaints: services from the types, requests from the complaints.
import { DateTime } from 'luxon';
import type { ComplaintTypeConfig } from '#config/complaints';
import { localize, primaryLanguage } from '#config/schema';
import {
  CENTRAL_DESK,
  type Complaint,
  type ComplaintStatus,
  complaintInputSchema,
  normalizeTrackingCode,
  TRACKING_CODE_PATTERN,
} from '#domain/complaint';
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '#domain/errors';
import {
  lookalikesNotice,
  OPEN311_SPECIFICATION,
  type Open311Created,
  type Open311Discovery,
  type Open311Request,
  type Open311Service,
  type Open311ServiceDefinition,
  type Open311Token,
  requestView,
  serviceDefinition,
  serviceEntry,
  serviceNotice,
} from '#domain/open311';
import { readOpen311Form } from '#domain/open311-form';
import { secondsUntil } from '#domain/rate-window';
import { complaintType, fileComplaint } from './complaints.ts';
import { windowCounter } from './limits.ts';
import { findActiveOpen311Key } from './open311-keys.ts';
import type { Deps } from './ports.ts';

type Open311Deps = Pick<Deps, 'config' | 'clock' | 'complaints' | 'counters' | 'open311Keys'>;

/** The spec's bounds on GET requests: a window of at most 90 days (the default: the last 90), 1,000 results. */
export const OPEN311_WINDOW_DAYS = 90;
export const OPEN311_MAX_RESULTS = 1000;
/** service_request_id lists longer than this are refused: each id is one read. */
const MAX_IDS = 100;
const STATUSES_OF: Record<'open' | 'closed', readonly ComplaintStatus[]> = {
  open: ['received', 'assigned', 'in_progress'],
  closed: ['resolved', 'rejected'],
};

function typeOrNotFound(deps: Pick<Deps, 'config'>, code: string): ComplaintTypeConfig {
  const type = complaintType(deps, code);
  if (!type)
    throw new NotFoundError('unknown-service-code', `There is no service with service_code "${code}".`);
  return type;
}

const localizer = (deps: Pick<Deps, 'config'>, language: string) => (text: Record<string, string>) =>
  localize(deps.config, text, language);

/** GET services: every complaint type, in `language`. */
export function listServices(deps: Pick<Deps, 'config'>, language: string): Open311Service[] {
  return deps.config.complaints.types.map((type) => serviceEntry(type, localizer(deps, language)));
}

/** GET services/{service_code}: a type's attributes; 404 for a code no type has. */
export function describeService(
  deps: Pick<Deps, 'config'>,
  code: string,
  language: string,
): Open311ServiceDefinition {
  return serviceDefinition(typeOrNotFound(deps, code), localizer(deps, language));
}

/** The office a complaint is with, as agency_responsible names it. */
function agencyOf(deps: Pick<Deps, 'config'>, complaint: Complaint, language: string): string {
  const { config } = deps;
  if (complaint.district === CENTRAL_DESK)
    return localize(config, config.complaints.centralDesk.name, language);
  const district = config.districts.find((d) => d.code === complaint.district);
  if (!district) return complaint.district;
  return localize(config, district.complaintsContact?.name ?? district.name, language);
}

function viewOf(
  deps: Pick<Deps, 'config'>,
  complaint: Complaint,
  language: string,
): Open311Request | undefined {
  const type = complaintType(deps, complaint.type);
  // A type taken out of the configuration since: its complaints are no longer shown through Open311.
  if (!type) return undefined;
  return requestView(complaint, {
    type,
    localize: localizer(deps, language),
    language,
    timeZone: deps.config.timeZone,
    agency: agencyOf(deps, complaint, language),
  });
}

/**
 * POST requests: a partner files a complaint for one of its users. Checked in the spec's order of answers: the
 * api_key (403), the jurisdiction and the service (404), then the request itself (400); filed through the same
 * use case as the native API, counted against the key's limit instead of the address's.
 */
export async function postRequest(
  deps: Open311Deps,
  body: URLSearchParams,
  client: string,
  language: string,
): Promise<Open311Created[]> {
  const form = readOpen311Form(body);
  const key = form.apiKey ? await findActiveOpen311Key(deps, form.apiKey) : undefined;
  if (!key) throw new ForbiddenError('open311-api-key', 'api_key is missing, unknown or revoked.');
  const jurisdiction = deps.config.complaints.open311?.jurisdictionId;
  if (jurisdiction && form.jurisdictionId !== undefined && form.jurisdictionId !== jurisdiction) {
    throw new NotFoundError(
      'unknown-jurisdiction',
      `This endpoint serves jurisdiction_id "${jurisdiction}" only.`,
    );
  }
  if (!form.serviceCode) {
    throw new ValidationError('service_code is required.', [{ field: 'service_code', message: 'required' }]);
  }
  const type = typeOrNotFound(deps, form.serviceCode);
  if (!form.hasPlace) {
    throw new ValidationError('A request needs a place: lat and long, address_string or address_id.', [
      { field: 'lat/long', message: 'give lat and long, address_string or address_id' },
    ]);
  }
  const parsed = complaintInputSchema.safeParse({
    ...form.input,
    // The spec makes description optional; staff need a line to read, so the service's name stands in.
    description: form.input.description ?? localize(deps.config, type.name, primaryLanguage(deps.config)),
    language,
  });
  if (!parsed.success) {
    throw new ValidationError(
      'The request is not valid.',
      parsed.error.issues.map((issue) => ({
        field: ['body', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  const { complaint, possibleDuplicates } = await fileComplaint(deps, parsed.data, {
    client,
    channel: 'open311',
    keyId: key.id,
  });
  // Only lookalikes the reporter may see carry a code: another household's private complaint stays unnamed.
  const lookalikes = possibleDuplicates.flatMap((hint) => (hint.trackingCode ? [hint.trackingCode] : []));
  return [
    {
      service_request_id: complaint.trackingCode,
      service_notice:
        serviceNotice(type, localizer(deps, language), language) + lookalikesNotice(lookalikes, language),
      account_id: form.accountId ?? '',
    },
  ];
}

/** A date parameter: a W3C date-time (one without an offset is the utility's local time). */
function dateParam(value: string | undefined, name: string, timeZone: string): DateTime | undefined {
  if (value === undefined) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const parsed = hasOffset
    ? DateTime.fromISO(value, { setZone: true })
    : DateTime.fromISO(value, { zone: timeZone });
  if (!parsed.isValid) {
    throw new ValidationError(`${name} is not a W3C date-time such as 2026-12-01T09:00:00+09:00.`, [
      { field: name, message: 'a date-time' },
    ]);
  }
  return parsed;
}

export interface RequestsQuery {
  service_request_id?: string;
  service_code?: string;
  status?: string;
  start_date?: string;
  end_date?: string;
}

/** The parameters with the empty ones dropped: the spec counts them as absent. */
function present(query: RequestsQuery): RequestsQuery {
  const given = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const kept: RequestsQuery = {
    service_request_id: given(query.service_request_id),
    service_code: given(query.service_code),
    status: given(query.status),
    start_date: given(query.start_date),
    end_date: given(query.end_date),
  };
  return kept;
}

/**
 * GET requests: a service_request_id list (which overrides every other parameter), or the requests of a window
 * (default the last 90 days, at most 90 days wide), optionally of one service and status, newest first, at most 1,000.
 */
export async function findRequests(
  deps: Pick<Deps, 'config' | 'clock' | 'complaints' | 'counters'>,
  rawQuery: RequestsQuery,
  language: string,
  client: string,
): Promise<Open311Request[]> {
  const query = present(rawQuery);
  await countSearch(deps, client);
  if (query.service_request_id !== undefined) {
    const ids = query.service_request_id
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    if (ids.length > MAX_IDS) {
      throw new ValidationError(`At most ${MAX_IDS} service_request_id values at once.`, [
        { field: 'service_request_id', message: `at most ${MAX_IDS}` },
      ]);
    }
    const found = await Promise.all(ids.map((id) => byTrackingCode(deps, id)));
    return found.flatMap((complaint) => (complaint ? (viewOf(deps, complaint, language) ?? []) : []));
  }
  if (query.service_code !== undefined) typeOrNotFound(deps, query.service_code);
  const statuses = statusesOf(query.status);
  const { start, end } = windowOf(deps, query);
  const complaints = await newestInWindow(deps, statuses, start, end, (c) =>
    query.service_code === undefined ? true : c.type === query.service_code,
  );
  return complaints.flatMap((complaint) => viewOf(deps, complaint, language) ?? []);
}

/** Counts a search against the client address's limit: 429 past it. */
async function countSearch(deps: Pick<Deps, 'config' | 'clock' | 'counters'>, client: string): Promise<void> {
  const limit = deps.config.complaints.limits.searchesPerClient;
  const now = deps.clock.now().getTime();
  const window = windowCounter('open311-search-client', client, limit, now);
  if ((await deps.counters.increment(window.counter, limit.max, window.endsAt + 60_000)) === undefined) {
    throw new RateLimitedError(
      'open311-search-rate-limited',
      `Too many request searches from this address: at most ${limit.max} in ${limit.windowMinutes} minutes.`,
      secondsUntil(window.endsAt, now),
    );
  }
}

function statusesOf(status: string | undefined): ComplaintStatus[] {
  if (status === undefined) return [...STATUSES_OF.open, ...STATUSES_OF.closed];
  const asked = new Set(status.split(',').map((s) => s.trim().toLowerCase()));
  const statuses: ComplaintStatus[] = [];
  for (const name of asked) {
    if (name !== 'open' && name !== 'closed') {
      throw new ValidationError('status is open or closed (or both, comma-separated).', [
        { field: 'status', message: 'open or closed' },
      ]);
    }
    statuses.push(...STATUSES_OF[name]);
  }
  return statuses;
}

function windowOf(deps: Pick<Deps, 'config' | 'clock'>, query: RequestsQuery): { start: Date; end: Date } {
  const zone = deps.config.timeZone;
  const given = {
    start: dateParam(query.start_date, 'start_date', zone),
    end: dateParam(query.end_date, 'end_date', zone),
  };
  const span = { days: OPEN311_WINDOW_DAYS };
  const end = given.end ?? (given.start ? given.start.plus(span) : DateTime.fromJSDate(deps.clock.now()));
  const start = given.start ?? end.minus(span);
  if (start > end) {
    throw new ValidationError('start_date is after end_date.', [
      { field: 'start_date', message: 'after end_date' },
    ]);
  }
  if (end.diff(start, 'days').days > OPEN311_WINDOW_DAYS) {
    throw new ValidationError(`start_date and end_date are at most ${OPEN311_WINDOW_DAYS} days apart.`, [
      { field: 'end_date', message: `at most ${OPEN311_WINDOW_DAYS} days after start_date` },
    ]);
  }
  return { start: start.toJSDate(), end: end.toJSDate() };
}

async function byTrackingCode(deps: Pick<Deps, 'complaints'>, typed: string): Promise<Complaint | undefined> {
  const code = normalizeTrackingCode(typed);
  return TRACKING_CODE_PATTERN.test(code) ? deps.complaints.getByTrackingCode(code) : undefined;
}

const DAY_MS = 86_400_000;
const QUEUE_PAGE = 500;
/**
 * The most complaints one search reads, whatever it keeps: the public route must not let a stranger have a Lambda
 * read 90 days of a big city (a service_code is only filtered after reading). Past it the answer is the newest
 * found so far.
 */
const MAX_READ = 5_000;

/**
 * The newest complaints filed in [start, end] in the given statuses, at most 1,000, newest first. The queues are
 * sorted oldest first, so the window is read backwards in slices that double (a day, two, four...): each slice is read
 * whole from every district's queue, and reading stops once a slice brings the total to 1,000, so a busy city costs
 * about 1,000 items plus one slice, and a quiet one a few small queries per queue.
 */
async function newestInWindow(
  deps: Pick<Deps, 'config' | 'complaints'>,
  statuses: readonly ComplaintStatus[],
  start: Date,
  end: Date,
  keep: (complaint: Complaint) => boolean,
): Promise<Complaint[]> {
  const queues = [...deps.config.districts.map((d) => d.code), CENTRAL_DESK].flatMap((district) =>
    statuses.map((status) => ({ district, status })),
  );
  const found: Complaint[] = [];
  // The window's end is inclusive: listQueue's `to` is exclusive, so it reads to the next millisecond.
  let to = end.getTime() + 1;
  let slice = DAY_MS;
  let read = 0;
  while (to > start.getTime() && found.length < OPEN311_MAX_RESULTS && read < MAX_READ) {
    const from = Math.max(start.getTime(), to - slice);
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const pages = await Promise.all(
      queues.map(({ district, status }) => readWhole(deps, district, status, range)),
    );
    const sliceItems = pages.flat();
    read += sliceItems.length;
    found.push(...sliceItems.filter(keep));
    to = from;
    slice *= 2;
  }
  return found
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.trackingCode.localeCompare(b.trackingCode))
    .slice(0, OPEN311_MAX_RESULTS);
}

async function readWhole(
  deps: Pick<Deps, 'complaints'>,
  district: string,
  status: ComplaintStatus,
  range: { from: string; to: string },
): Promise<Complaint[]> {
  const items: Complaint[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.complaints.listQueue(district, status, { limit: QUEUE_PAGE, cursor, ...range });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && items.length < MAX_READ);
  return items;
}

/** GET requests/{id}: the request in an array of one, as the spec shows it; 404 for an id that names none. */
export async function getRequest(
  deps: Pick<Deps, 'config' | 'complaints'>,
  id: string,
  language: string,
): Promise<Open311Request[]> {
  const complaint = await byTrackingCode(deps, id);
  const view = complaint && viewOf(deps, complaint, language);
  if (!view) throw new NotFoundError('unknown-service-request', `There is no service request "${id}".`);
  return [view];
}

/** GET tokens/{token}: POST answers the service_request_id at once, so a token is the id itself. */
export async function lookupToken(deps: Pick<Deps, 'complaints'>, token: string): Promise<Open311Token[]> {
  const complaint = await byTrackingCode(deps, token);
  if (!complaint) throw new NotFoundError('unknown-token', `There is no token "${token}".`);
  return [{ service_request_id: complaint.trackingCode, token }];
}

/** The discovery document for the GeoReport v2 endpoint at `url`. */
export function discovery(deps: Pick<Deps, 'config'>, url: string): Open311Discovery {
  const { config } = deps;
  const primary = primaryLanguage(config);
  const open311 = config.complaints.open311;
  const contact = open311?.contact ?? `${localize(config, config.name, primary)}: ${config.contactPhone}`;
  const changeset = open311?.changeset ?? '';
  return {
    changeset,
    contact,
    key_service: `Partners get an api_key from the utility: ${contact}`,
    endpoints: [
      {
        specification: OPEN311_SPECIFICATION,
        url,
        changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}
