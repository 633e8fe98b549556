// Filing and tracking complaints on DynamoDB Local: POST /complaints checks the type, its answers, the place and the
// contact data, counts the limits, shows lookalikes before filing, and GET /complaints/{code} shows the public view.
import { beforeEach, describe, expect, it } from 'vitest';
import { transitionComplaint } from '#app/complaint-workflow';
import type { StaffPrincipal } from '#domain/staff';
import { route as fileRoute } from '#handlers/http/file-complaint';
import { route as trackRoute } from '#handlers/http/track-complaint';
import { type TestWorld, testWorld } from '../support/deps.ts';
import { call, problemType } from '../support/http.ts';

let world: TestWorld;

const leak = (over: Record<string, unknown> = {}) => ({
  type: 'leak',
  description: '길가 하수구 옆에서 물이 계속 솟아 나옵니다.',
  districtCode: '11110',
  location: { lat: 37.5735, long: 126.979 },
  attributes: { where: 'outdoors' },
  ...over,
});

const file = (body: unknown, sourceIp = '198.51.100.7') =>
  call(fileRoute, world.deps, { method: 'POST', path: '/complaints', body, sourceIp });

const track = (code: string, headers: Record<string, string> = {}) =>
  call(trackRoute, world.deps, {
    method: 'GET',
    path: `/complaints/${code}`,
    routePath: '/complaints/{trackingCode}',
    pathParameters: { trackingCode: code },
    headers,
  });

beforeEach(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
});

describe('filing a complaint', () => {
  it('answers an unguessable id for photos and a short tracking code, and writes the whole record', async () => {
    // A resident in Jongno reports water bubbling up by the road and gives a phone for updates.
    const filed = await file(
      leak({ phone: '010-1234-5678', contactConsent: true, accountNumber: '123456789' }),
    );
    expect(filed.status).toBe(201);
    const { id, trackingCode, status, expectedBy } = filed.json as Record<string, string>;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(status).toBe('received');
    expect(expectedBy).toBe('2026-12-02T01:00:00.000Z');
    expect(filed.headers.location).toBe(`/complaints/${trackingCode}`);

    const stored = await world.deps.complaints.get(id ?? '');
    expect(stored).toMatchObject({
      trackingCode,
      district: '11110',
      routedBy: 'district-code',
      phone: '+821012345678',
      contactConsent: true,
      language: 'ko',
      attributes: { where: 'outdoors' },
      history: [{ action: 'filed', by: { kind: 'resident' }, at: '2026-12-01T01:00:00.000Z' }],
      version: 1,
    });
  });

  it('refuses an unknown type, a missing place, a bad or missing answer and oversize text, writing nothing', async () => {
    // Each mistake a hurried resident (or a script) can make gets its own answer.
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [leak({ type: 'noise' }), 'unknown-complaint-type', 'body.type'],
      [leak({ districtCode: undefined, location: undefined }), 'validation-error', 'body.location'],
      [leak({ attributes: {} }), 'invalid-attributes', 'body.attributes.where'],
      [leak({ attributes: { where: 'on-the-roof' } }), 'invalid-attributes', 'body.attributes.where'],
      [
        leak({ attributes: { where: 'outdoors', colour: 'brown' } }),
        'invalid-attributes',
        'body.attributes.colour',
      ],
      [leak({ description: 'x'.repeat(4001) }), 'validation-error', 'body.description'],
      [leak({ districtCode: '99999' }), 'validation-error', 'body.districtCode'],
      [leak({ phone: '12' }), 'validation-error', 'body.phone'],
      [leak({ contactConsent: true }), 'validation-error', 'body.phone'],
      [leak({ accountNumber: 'ABC' }), 'validation-error', 'body.accountNumber'],
    ];
    for (const [body, type, field] of cases) {
      const answer = await file(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.type).toBe(problemType(type));
      expect(JSON.stringify(answer.json.errors ?? answer.json), field).toContain(field);
    }
    const queue = await world.deps.complaints.listQueue('11110', 'received', { limit: 10 });
    expect(queue.items).toEqual([]);
  });

  it('checks a multi-value answer against its list and keeps each key once', async () => {
    // Water that is both brown and smells: two keys of the water-quality list.
    const filed = await file({
      type: 'water-quality',
      description: '수돗물이 누렇고 냄새가 납니다.',
      address: '서울 종로구 세종대로 175',
      attributes: { symptoms: ['colour', 'smell', 'colour'] },
    });
    expect(filed.status).toBe(201);
    const stored = await world.deps.complaints.get(String(filed.json.id));
    expect(stored?.attributes).toEqual({ symptoms: ['colour', 'smell'] });
  });
});

describe('limits on filing', () => {
  it('answers 429 with Retry-After past the per-phone limit, from any address', async () => {
    // Someone files again and again with the same phone number, changing addresses: five a day, then no more.
    for (let i = 0; i < 5; i++) {
      const answer = await file(
        leak({ phone: '01012345678', location: { lat: 37.57 + i * 0.01, long: 126.97 } }),
        `203.0.113.${i}`,
      );
      expect(answer.status).toBe(201);
    }
    const refused = await file(
      leak({ phone: '01012345678', location: { lat: 37.62, long: 126.97 } }),
      '203.0.113.99',
    );
    expect(refused.status).toBe(429);
    expect(refused.json.type).toBe(problemType('complaint-rate-limited'));
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 429 past the per-address limit', async () => {
    // A script files from one address without phones: twenty an hour, then it waits.
    for (let i = 0; i < 20; i++) {
      const answer = await file(leak({ location: { lat: 37.5 + i * 0.01, long: 126.9 } }));
      expect(answer.status).toBe(201);
    }
    const refused = await file(leak({ location: { lat: 37.8, long: 126.9 } }));
    expect(refused.status).toBe(429);
  });
});

describe('the duplicate hint', () => {
  it('shows a nearby complaint of the same type before filing, and files when the reporter confirms', async () => {
    // A neighbour 30 m away reports the same leak an hour later.
    const first = await file(leak());
    world.clock.set(new Date('2026-12-01T02:00:00Z'));
    const second = await file(leak({ location: { lat: 37.5737, long: 126.979 } }), '198.51.100.8');
    expect(second.status).toBe(409);
    expect(second.json.type).toBe(problemType('possible-duplicate'));
    expect(second.json.possibleDuplicates).toEqual([
      expect.objectContaining({ trackingCode: first.json.trackingCode, why: 'nearby', status: 'received' }),
    ]);
    const confirmed = await file(
      leak({ location: { lat: 37.5737, long: 126.979 }, confirmDuplicates: true }),
      '198.51.100.8',
    );
    expect(confirmed.status).toBe(201);
    const stored = await world.deps.complaints.get(String(confirmed.json.id));
    // Staff see which complaint it looked like.
    expect(stored?.possibleDuplicates).toEqual([first.json.trackingCode]);
  });

  it("does not show the reporter an account's other complaints, but shows them to staff", async () => {
    // Anyone can type another household's account number: the answer says nothing of its complaints.
    const first = await file({
      type: 'water-quality',
      description: '물에서 냄새가 납니다.',
      districtCode: '11110',
      accountNumber: '123456789',
      attributes: { symptoms: ['smell'] },
    });
    const again = await file(
      leak({ accountNumber: '123456789', location: { lat: 37.58, long: 126.99 } }),
      '198.51.100.9',
    );
    expect(again.status).toBe(201);
    expect(again.json.possibleDuplicates).toEqual([]);
    const stored = await world.deps.complaints.get(String(again.json.id));
    expect(stored?.possibleDuplicates).toEqual([first.json.trackingCode]);
  });

  it('does not show a second reporter the tracking code of an indoor leak next door, but shows it to staff', async () => {
    // A resident reports water through their ceiling; a passer-by 30 m away reports a leak in the street. The
    // passer-by must not be handed a code that opens the resident's report.
    const indoor = await file(
      leak({ attributes: { where: 'indoors' }, address: '서울 종로구 자하문로 1, 302호' }),
    );
    world.clock.set(new Date('2026-12-01T02:00:00Z'));
    const street = await file(leak({ location: { lat: 37.5737, long: 126.979 } }), '198.51.100.8');
    expect(street.status).toBe(201);
    expect(street.json.possibleDuplicates).toEqual([]);
    expect(JSON.stringify(street.json)).not.toContain(String(indoor.json.trackingCode));
    const stored = await world.deps.complaints.get(String(street.json.id));
    expect(stored?.possibleDuplicates).toEqual([indoor.json.trackingCode]);
  });

  it('does not count a leak far away or of another type', async () => {
    // A leak 2 km away and a water-quality complaint at the same spot are different problems.
    await file(leak());
    expect((await file(leak({ location: { lat: 37.591, long: 126.979 } }), '198.51.100.10')).status).toBe(
      201,
    );
    const quality = await file(
      {
        type: 'water-quality',
        description: '물 색이 이상합니다.',
        location: { lat: 37.5735, long: 126.979 },
        districtCode: '11110',
        attributes: { symptoms: ['colour'] },
      },
      '198.51.100.11',
    );
    expect(quality.status).toBe(201);
  });
});

describe('tracking a complaint by its code', () => {
  it('shows type, status, history and the expected time, but never the contact data', async () => {
    // The resident reads the code over the phone in lower case with a dash; the call centre types it in.
    const filed = await file(
      leak({ phone: '01012345678', contactConsent: true, accountNumber: '123456789' }),
    );
    const code = String(filed.json.trackingCode);
    const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase();
    const seen = await track(typed, { 'accept-language': 'en-US,en;q=0.9' });
    expect(seen.status).toBe(200);
    expect(seen.json).toEqual({
      trackingCode: code,
      type: 'leak',
      typeName: 'Leak',
      status: 'received',
      district: '11110',
      createdAt: '2026-12-01T01:00:00.000Z',
      expectedBy: '2026-12-02T01:00:00.000Z',
      history: [{ at: '2026-12-01T01:00:00.000Z', status: 'received' }],
      location: { lat: 37.5735, long: 126.979 },
      photos: 0,
    });
    expect(JSON.stringify(seen.json)).not.toContain('5678');
    expect(JSON.stringify(seen.json)).not.toContain('123456789');
  });

  it('never shows the place of a private type', async () => {
    // A water-quality complaint is about a home: its coordinates stay with staff.
    const filed = await file({
      type: 'water-quality',
      description: '물에서 냄새가 납니다.',
      location: { lat: 37.5735, long: 126.979 },
      address: '서울 종로구 어딘가 1',
      districtCode: '11110',
      attributes: { symptoms: ['smell'] },
    });
    const seen = await track(String(filed.json.trackingCode));
    expect(seen.json).not.toHaveProperty('location');
    expect(seen.json).not.toHaveProperty('address');
  });

  it('never shows the place or the rejection reason of a leak indoors, and shows both for one outdoors', async () => {
    // Leaks are public (a burst main should be seen), but one inside a flat points at somebody's home.
    const admin: StaffPrincipal = { subject: 'admin-1', roles: ['admin'], districts: [], allDistricts: true };
    const reason = '세대 내부 배관은 소유자가 수리합니다 (302호).';
    const codes: Record<string, string> = {};
    for (const where of ['indoors', 'outdoors']) {
      const filed = await file(
        leak({ attributes: { where }, address: '서울 종로구 자하문로 1, 302호', confirmDuplicates: true }),
        where === 'indoors' ? '198.51.100.21' : '198.51.100.22',
      );
      expect(filed.status).toBe(201);
      codes[where] = String(filed.json.trackingCode);
      await transitionComplaint(world.deps, admin, String(filed.json.id), { to: 'rejected', note: reason });
    }
    const indoors = await track(codes.indoors ?? '');
    expect(indoors.json).toMatchObject({ type: 'leak', status: 'rejected' });
    for (const field of ['address', 'location', 'rejectReason'])
      expect(indoors.json).not.toHaveProperty(field);
    expect(JSON.stringify(indoors.json)).not.toContain('302');

    const outdoors = await track(codes.outdoors ?? '');
    expect(outdoors.json).toMatchObject({
      address: '서울 종로구 자하문로 1, 302호',
      location: { lat: 37.5735, long: 126.979 },
      rejectReason: reason,
    });
  });

  it('answers 404 for a code that names no complaint', async () => {
    for (const code of ['ZZZZZZZZ', 'not-a-code']) {
      const seen = await track(code);
      expect(seen.status).toBe(404);
      expect(seen.json.type).toBe(problemType('complaint-not-found'));
    }
  });
});
