// The /admin/complaints routes as API Gateway invokes them after its JWT authorizer: statuses and problem+json.
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { type HttpRoute, runRoute } from '#handlers/http/http-handler';
import { httpRoutes } from '#handlers/http/routes';
import { bySpecificity } from '../../bin/local/server.ts';
import { aComplaint } from '../support/builders.ts';
import { type TestWorld, testWorld } from '../support/deps.ts';
import { type EventInput, httpEvent, problemType } from '../support/http.ts';

let world: TestWorld;

beforeEach(async () => {
  // 10:00 KST, outside the quiet hours.
  world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
  await world.deps.complaints.create(aComplaint());
  await world.deps.complaints.create(
    aComplaint({ id: 'c-jung', trackingCode: 'P4T8W2RA', district: '11140' }),
  );
});

const routeOf = (id: string): HttpRoute => {
  const entry = httpRoutes.find((e) => e.id === id);
  if (!entry) throw new Error(`no route ${id}`);
  return entry.route;
};

/** Calls a route as a staff member in these user-pool groups, with the claims as API Gateway passes them. */
async function asStaff(id: string, groups: string, input: EventInput) {
  const base = httpEvent(input);
  const event = {
    ...base,
    requestContext: {
      ...base.requestContext,
      authorizer: {
        jwt: {
          claims: { sub: `sub-${groups}`, token_use: 'access', 'cognito:groups': groups },
          scopes: null,
        },
      },
    },
  };
  const result = (await runRoute(routeOf(id), event, async () => world.deps)) as Exclude<
    APIGatewayProxyResultV2,
    string
  >;
  return { status: result.statusCode, json: JSON.parse(result.body ?? '{}') };
}

const transition = (groups: string, id: string, body: unknown) =>
  asStaff('AdminTransitionComplaint', groups, {
    method: 'POST',
    path: `/admin/complaints/${id}/transitions`,
    routePath: '/admin/complaints/{id}/transitions',
    pathParameters: { id },
    body,
  });

describe('POST /admin/complaints/{id}/transitions', () => {
  it('moves a complaint for its district clerk, and answers a move the workflow forbids with 409', async () => {
    // A Jongno clerk assigns the leak, then tries to take it back to "received".
    const assigned = await transition('[staff district:11110]', 'c-0001', { to: 'assigned' });
    expect(assigned.status).toBe(200);
    expect(assigned.json.complaint).toMatchObject({
      status: 'assigned',
      allowedTransitions: ['in_progress', 'resolved', 'rejected'],
    });
    expect(assigned.json.reporterUpdate).toBe('queued');

    const back = await transition('[staff district:11110]', 'c-0001', { to: 'received' });
    expect(back.status).toBe(409);
    expect(back.json).toMatchObject({
      type: problemType('transition-not-allowed'),
      from: 'assigned',
      to: 'received',
      allowed: ['in_progress', 'resolved', 'rejected'],
    });
  });

  it('answers 400 for a rejection without a reason or an unknown status, and 404 for another district', async () => {
    const noReason = await transition('[admin]', 'c-0001', { to: 'rejected' });
    expect(noReason.status).toBe(400);
    const unknown = await transition('[admin]', 'c-0001', { to: 'closed' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].field).toBe('body.to');
    const foreign = await transition('[staff district:11110]', 'c-jung', { to: 'assigned' });
    expect(foreign.status).toBe(404);
    expect(foreign.json.type).toBe(problemType('complaint-not-found'));
    expect((await world.deps.complaints.get('c-jung'))?.version).toBe(1);
  });
});

describe('the other staff routes', () => {
  it('lists, reads, notes and merges, scoped to the caller', async () => {
    const list = await asStaff('AdminListComplaints', '[staff district:11110]', {
      method: 'GET',
      path: '/admin/complaints',
      query: { status: 'received' },
    });
    expect(list.status).toBe(200);
    expect(list.json.items.map((c: { id: string }) => c.id)).toEqual(['c-0001']);
    const forbidden = await asStaff('AdminListComplaints', '[staff district:11110]', {
      method: 'GET',
      path: '/admin/complaints',
      query: { status: 'received', district: '11140' },
    });
    expect(forbidden.status).toBe(403);

    const read = await asStaff('AdminGetComplaint', '[admin]', {
      method: 'GET',
      path: '/admin/complaints/K7M2QX9A',
      routePath: '/admin/complaints/{id}',
      pathParameters: { id: 'K7M2QX9A' },
    });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ id: 'c-0001', phone: '+821055501234', typeName: '누수 신고' });

    const noted = await asStaff('AdminNoteComplaint', '[admin]', {
      method: 'POST',
      path: '/admin/complaints/c-0001/notes',
      routePath: '/admin/complaints/{id}/notes',
      pathParameters: { id: 'c-0001' },
      body: { note: 'called back' },
    });
    expect(noted.status).toBe(201);

    await world.deps.complaints.create(aComplaint({ id: 'c-dup', trackingCode: 'H3N6V1CB' }));
    const merged = await asStaff('AdminMergeComplaint', '[staff district:11110]', {
      method: 'POST',
      path: '/admin/complaints/c-dup/merge',
      routePath: '/admin/complaints/{id}/merge',
      pathParameters: { id: 'c-dup' },
      body: { into: 'K7M2QX9A' },
    });
    expect(merged.status).toBe(200);
    expect(merged.json.complaint).toMatchObject({ status: 'resolved', mergedInto: 'K7M2QX9A' });
    expect(merged.json.original.duplicates).toEqual(['H3N6V1CB']);
  });

  it('answers the stats of the caller’s queues, and a window over 366 days with 400', async () => {
    const stats = await asStaff('AdminComplaintStats', '[staff district:11110]', {
      method: 'GET',
      path: '/admin/complaints/stats',
      query: { from: '2026-12-01', to: '2026-12-01' },
    });
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ districts: ['11110'], total: { count: 1 } });
    const tooLong = await asStaff('AdminComplaintStats', '[admin]', {
      method: 'GET',
      path: '/admin/complaints/stats',
      query: { from: '2025-01-01', to: '2026-12-01' },
    });
    expect(tooLong.status).toBe(400);
  });

  it('serves /admin/complaints/stats before /admin/complaints/{id} locally, as API Gateway prefers the literal', () => {
    const order = httpRoutes
      .map((entry) => ({ entry }))
      .sort(bySpecificity)
      .map(({ entry }) => entry.id);
    expect(order.indexOf('AdminComplaintStats')).toBeLessThan(order.indexOf('AdminGetComplaint'));
  });
});
