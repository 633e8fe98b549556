// Staff authentication end to end: tokens from the local issuer, checked as API Gateway's JWT authorizer checks
// them, then GET /admin/me reading the claims the way it reads them in AWS.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { route as adminMe } from '#handlers/http/admin-me';
import { runRoute } from '#handlers/http/http-handler';
import { type TestWorld, testWorld } from '#test/support/deps';
import { httpEvent, problemType } from '#test/support/http';
import {
  createLocalStaffIssuer,
  LOCAL_STAFF_CLIENT_ID,
  type LocalStaffIssuer,
} from '../../bin/local/staff-token.ts';

const ISSUER = 'http://127.0.0.1:3000/_local/staff-issuer';

let world: TestWorld;
let issuer: LocalStaffIssuer;

interface Answer {
  status: number;
  headers: Record<string, string>;
  json: Record<string, unknown>;
}

const answerOf = (result: APIGatewayProxyStructuredResultV2): Answer => ({
  status: result.statusCode ?? 0,
  headers: (result.headers ?? {}) as Record<string, string>,
  json: result.body ? JSON.parse(result.body) : {},
});

/** A token from POST /_local/staff-token with this body. */
async function staffToken(body: unknown): Promise<string> {
  const answer = answerOf(await issuer.answer(Buffer.from(JSON.stringify(body))));
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return String(answer.json.token);
}

/** GET /admin/me as the local server runs it: the authorizer's check first, then the route. */
async function getMe(authorization?: string): Promise<Answer> {
  const event = httpEvent({
    method: 'GET',
    path: '/admin/me',
    headers: authorization === undefined ? {} : { authorization },
  });
  const authorized = await issuer.authorize(event);
  if (!authorized.ok) return answerOf(authorized.response);
  return answerOf(await runRoute(adminMe, authorized.event, async () => world.deps));
}

/** The claims of a Cognito access token of the local console, in these groups, issued now. */
function accessClaims(groups: string[], overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(world.clock.now().getTime() / 1000);
  return {
    sub: 'staff-subject-1',
    'cognito:groups': groups,
    iss: ISSUER,
    client_id: LOCAL_STAFF_CLIENT_ID,
    token_use: 'access',
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
}

beforeEach(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
  issuer = await createLocalStaffIssuer({
    config: world.deps.config,
    clock: world.clock,
    issuer: () => ISSUER,
  });
});

describe('GET /admin/me with a local staff token', () => {
  it('answers a staff token with who it names, its roles and the districts it may see', async () => {
    const token = await staffToken({ role: 'staff', subject: 'clerk-7' });

    const me = await getMe(`Bearer ${token}`);

    expect(me.status).toBe(200);
    expect(me.json).toEqual({
      subject: 'clerk-7',
      roles: ['staff'],
      districts: [],
      allDistricts: true,
      visibleDistricts: world.deps.config.districts.map((d) => d.code),
    });
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('limits a district clerk to the districts named in the token', async () => {
    const token = await staffToken({ role: 'staff', districts: ['11440', '11110'] });

    const me = await getMe(`Bearer ${token}`);

    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      roles: ['staff'],
      districts: ['11440', '11110'],
      allDistricts: false,
      visibleDistricts: ['11110', '11440'],
    });
  });

  it('lets an admin see every district, whatever districts the token names', async () => {
    const me = await getMe(`Bearer ${await staffToken({ role: 'admin', districts: ['11110'] })}`);
    expect(me.json).toMatchObject({ roles: ['admin'], allDistricts: true });
    expect(me.json.visibleDistricts).toHaveLength(world.deps.config.districts.length);
  });

  // API Gateway HTTP API hands the route every claim as a string, the group list as "[a b]": the route
  // must read that shape, and the local authorizer must produce it.
  it('reaches the route with the claims in the shape API Gateway passes them', async () => {
    const token = await staffToken({ role: 'staff', districts: ['11110'] });
    const authorized = await issuer.authorize(
      httpEvent({ method: 'GET', path: '/admin/me', headers: { authorization: `Bearer ${token}` } }),
    );
    expect(authorized.ok).toBe(true);
    const claims = authorized.ok ? authorized.event.requestContext.authorizer.jwt.claims : {};
    expect(claims).toMatchObject({
      'cognito:groups': '[staff district:11110]',
      token_use: 'access',
      client_id: LOCAL_STAFF_CLIENT_ID,
      iss: ISSUER,
      exp: expect.stringMatching(/^\d+$/),
    });
  });

  // Written by hand as API Gateway delivers it, not by our local authorizer, so the two cannot agree on a
  // wrong shape: strings throughout, the groups flattened into one bracketed string.
  it('reads an event as API Gateway HTTP API delivers it after its JWT authorizer', async () => {
    const base = httpEvent({ method: 'GET', path: '/admin/me' });
    const event = {
      ...base,
      requestContext: {
        ...base.requestContext,
        authorizer: {
          jwt: {
            claims: {
              sub: '0c5b7e0a-2f7d-4d55-8a84-6f3e1c9b2a10',
              'cognito:groups': '[district:11140 staff]',
              iss: 'https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_AbCdEf123',
              client_id: '4h3k2j1l0m9n8b7v6c5x4z3a2s',
              origin_jti: 'e3b1a9d2-0f4c-4f7e-9d1b-5a6c7d8e9f00',
              event_id: 'c0ffee00-1111-2222-3333-444455556666',
              token_use: 'access',
              scope: 'aws.cognito.signin.user.admin',
              auth_time: '1796140800',
              exp: '1796144400',
              iat: '1796140800',
              jti: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
              username: '0c5b7e0a-2f7d-4d55-8a84-6f3e1c9b2a10',
            },
            scopes: null,
          },
        },
      },
    };

    const me = answerOf(await runRoute(adminMe, event, async () => world.deps));

    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      subject: '0c5b7e0a-2f7d-4d55-8a84-6f3e1c9b2a10',
      roles: ['staff'],
      districts: ['11140'],
      visibleDistricts: ['11140'],
    });
  });

  it('takes the token without the Bearer prefix too, as the authorizer does', async () => {
    expect((await getMe(await staffToken({ role: 'admin' }))).status).toBe(200);
  });
});

describe('GET /admin/me refuses', () => {
  const expectRefused = (answer: Answer, status: number, slug: string) => {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.json.type).toBe(problemType(slug));
  };

  it('a request without a token: 401', async () => {
    expectRefused(await getMe(), 401, 'staff-token-required');
    expectRefused(await getMe('Bearer '), 401, 'staff-token-required');
  });

  // A console left open over lunch still holds the morning's token: an hour later it opens nothing.
  it('an expired token: 401', async () => {
    const token = await staffToken({ role: 'admin' });
    world.clock.advance(60 * 60 * 1000);
    expectRefused(await getMe(`Bearer ${token}`), 401, 'staff-token-expired');
  });

  it('a token signed by another key, even with the same issuer and claims: 401', async () => {
    const other = await createLocalStaffIssuer({
      config: world.deps.config,
      clock: world.clock,
      issuer: () => ISSUER,
    });
    const forged = await other.sign(accessClaims(['admin']));
    expectRefused(await getMe(`Bearer ${forged}`), 401, 'staff-token-invalid');
  });

  it('a token whose payload was altered after signing: 401', async () => {
    const [header, , signature] = (await staffToken({ role: 'staff', districts: ['11110'] })).split('.');
    const promoted = Buffer.from(JSON.stringify(accessClaims(['admin']))).toString('base64url');
    expectRefused(await getMe(`Bearer ${header}.${promoted}.${signature}`), 401, 'staff-token-invalid');
  });

  it('a token of another issuer, for another client, or unsigned: 401', async () => {
    const foreign = await issuer.sign(accessClaims(['admin'], { iss: 'https://cognito-idp.example/other' }));
    const otherClient = await issuer.sign(accessClaims(['admin'], { client_id: 'another-app' }));
    const unsigned = [
      Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url'),
      Buffer.from(JSON.stringify(accessClaims(['admin']))).toString('base64url'),
      '',
    ].join('.');
    for (const token of [foreign, otherClient, unsigned, 'not-a-jwt', 'a.b.c']) {
      expectRefused(await getMe(`Bearer ${token}`), 401, 'staff-token-invalid');
    }
  });

  it('a token issued in the future, or with no expiry: 401', async () => {
    const now = Math.floor(world.clock.now().getTime() / 1000);
    const ahead = await issuer.sign(accessClaims(['admin'], { iat: now + 600, exp: now + 4200 }));
    const { exp: _exp, ...claims } = accessClaims(['admin']);
    const endless = await issuer.sign(claims);
    for (const token of [ahead, endless])
      expectRefused(await getMe(`Bearer ${token}`), 401, 'staff-token-invalid');
  });

  // The authorizer accepts any token of the pool for the client, the ID token included: the route takes
  // access tokens only.
  it('a valid ID token instead of an access token: 401 from the route', async () => {
    const idToken = await issuer.sign(
      accessClaims(['admin'], { token_use: 'id', aud: LOCAL_STAFF_CLIENT_ID, client_id: undefined }),
    );
    expectRefused(await getMe(`Bearer ${idToken}`), 401, 'staff-token-invalid');
  });

  it('a token of a user in neither the admin nor the staff group: 403', async () => {
    const token = await issuer.sign(accessClaims(['district:11110', 'auditors']));
    expectRefused(await getMe(`Bearer ${token}`), 403, 'staff-role-required');
  });

  // Were the authorizer ever left off an /admin/ route, the function must still refuse to run for nobody.
  it('the route reached without the authorizer: 401', async () => {
    const result = await runRoute(
      adminMe,
      httpEvent({ method: 'GET', path: '/admin/me' }),
      async () => world.deps,
    );
    expectRefused(answerOf(result), 401, 'staff-token-required');
  });
});

describe('a district group the utility does not have', () => {
  it('is ignored: the clerk sees the known districts only, and none when all are unknown', async () => {
    const mixed = await issuer.sign(accessClaims(['staff', 'district:11110', 'district:99999']));
    const stranded = await issuer.sign(accessClaims(['staff', 'district:99999']));

    expect((await getMe(`Bearer ${mixed}`)).json).toMatchObject({
      districts: ['11110'],
      visibleDistricts: ['11110'],
    });
    expect((await getMe(`Bearer ${stranded}`)).json).toMatchObject({
      districts: [],
      allDistricts: false,
      visibleDistricts: [],
    });
  });
});

describe('POST /_local/staff-token', () => {
  const ask = async (body: string) => answerOf(await issuer.answer(Buffer.from(body)));

  it('refuses an unknown role, an unknown district and unknown fields with 400 naming each', async () => {
    const badRole = await ask(JSON.stringify({ role: 'root' }));
    const badDistrict = await ask(JSON.stringify({ role: 'staff', districts: ['11110', 'mars'] }));
    const extra = await ask(JSON.stringify({ role: 'staff', groups: ['admin'] }));

    for (const answer of [badRole, badDistrict, extra]) {
      expect(answer.status).toBe(400);
      expect(answer.json.type).toBe(problemType('validation-error'));
    }
    expect(badRole.json.errors).toEqual([expect.objectContaining({ field: 'body.role' })]);
    expect(badDistrict.json.errors).toEqual([
      expect.objectContaining({ field: 'body.districts.1', message: expect.stringContaining('11110') }),
    ]);
    expect(extra.json.errors).toEqual([expect.objectContaining({ field: 'body' })]);
  });

  it('refuses a body that is not JSON, or none, with 400', async () => {
    expect((await ask('{role')).json.type).toBe(problemType('malformed-json'));
    expect((await ask('')).status).toBe(400);
  });

  it('issues an RS256 token whose key the issuer publishes', async () => {
    const [header] = (await staffToken({ role: 'admin' })).split('.');
    const { alg, kid } = JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8'));
    expect(alg).toBe('RS256');
    expect(issuer.jwks().keys).toEqual([expect.objectContaining({ kid, kty: 'RSA', alg: 'RS256' })]);
  });
});
