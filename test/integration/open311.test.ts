// Open311 GeoReport v2 on DynamoDB Local: a partner app lists the services, files complaints form-encoded with its
// api_key, and reads requests back, in JSON and XML; every error is the spec's error list in the asked format.
import { XMLParser } from 'fast-xml-parser';
import { beforeEach, describe, expect, it } from 'vitest';
import { issueOpen311Key, revokeOpen311Key } from '#app/open311-keys';
import type { Deps } from '#app/ports';
import type { Complaint } from '#domain/complaint';
import type { HttpRoute } from '#handlers/http/http-handler';
import { route as indexRoute } from '#handlers/http/open311-index';
import { route as postRoute } from '#handlers/http/open311-post-request';
import { route as requestRoute } from '#handlers/http/open311-request';
import { route as definitionRoute } from '#handlers/http/open311-service-definition';
import { route as tokenRoute } from '#handlers/http/open311-token';
import { type TestWorld, testWorld } from '../support/deps.ts';
import { recordDynamoCalls } from '../support/dynamo.ts';
import { call } from '../support/http.ts';
import { aComplaint } from '../support/open311-complaints.ts';

let world: TestWorld;
let apiKey: string;
let keyId: string;

const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) =>
    ['service', 'attribute', 'value', 'request', 'error', 'endpoint', 'format'].includes(name),
});
const xml = (raw: Buffer) => parser.parse(raw.toString('utf8'));
const json = (raw: Buffer) => JSON.parse(raw.toString('utf8'));

/** A GET of an Open311 path, through the route that serves it in API Gateway. */
function get(path: string, query?: Record<string, string>, deps: Deps = world.deps) {
  const [route, routePath, file] = routeOf(path);
  return call(route, deps, { method: 'GET', path, routePath, pathParameters: { file }, query });
}

function routeOf(path: string): [HttpRoute, string, string] {
  const rest = path.replace('/open311/v2/', '');
  const [folder, file] = rest.includes('/') ? rest.split('/') : ['', rest];
  const routes: Record<string, HttpRoute> = {
    '': indexRoute,
    services: definitionRoute,
    requests: requestRoute,
    tokens: tokenRoute,
  };
  const route = routes[folder ?? ''] ?? indexRoute;
  return [route, folder ? `/open311/v2/${folder}/{file}` : '/open311/v2/{file}', file ?? ''];
}

/** A form-encoded POST requests.{format}, as a partner's app sends it. */
function post(format: string, form: Array<[string, string]>, deps: Deps = world.deps) {
  return call(postRoute, deps, {
    method: 'POST',
    path: `/open311/v2/requests.${format}`,
    routePath: '/open311/v2/{file}',
    pathParameters: { file: `requests.${format}` },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    // API Gateway hands a form body to Lambda base64-encoded.
    rawBody: Buffer.from(new URLSearchParams(form).toString()).toString('base64'),
    isBase64Encoded: true,
    sourceIp: '203.0.113.9',
  });
}

/** The form of a leak report; `over` replaces the parameters of the same names. */
const leakForm = (over: Array<[string, string]> = []): Array<[string, string]> => [
  ...baseLeakForm().filter(([name]) => !over.some(([replaced]) => replaced === name)),
  ...over,
];
const baseLeakForm = (): Array<[string, string]> => [
  ['api_key', apiKey],
  ['service_code', 'leak'],
  ['lat', '37.5735'],
  ['long', '126.979'],
  ['address_string', '서울 종로구 세종대로 175'],
  ['description', '길가 하수구 옆에서 물이 솟아 나옵니다.'],
  ['attribute[where]', 'outdoors'],
  ['phone', '010-1234-5678'],
  ['account_id', 'partner-user-77'],
];

/** The leak type as configured, and the notice its requests carry in Korean. */
const leakType = () => {
  const type = world.deps.config.complaints.types.find((t) => t.code === 'leak');
  if (!type) throw new Error('the Seoul config has no leak type');
  return type;
};
const leakNotice = () =>
  `${leakType().department.ko}에서 처리합니다. 예상 처리 시간: ${leakType().slaHours}시간.`;

beforeEach(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
  const issued = await issueOpen311Key(world.deps, 'Seoul Smart City app');
  apiKey = issued.key;
  keyId = issued.record.id;
});

describe('GET services and service definitions', () => {
  it('lists the complaint types as services in JSON (a bare array) and XML', async () => {
    const asJson = await get('/open311/v2/services.json');
    expect(asJson.status).toBe(200);
    expect(asJson.headers['content-type']).toBe('application/json; charset=utf-8');
    const services = json(asJson.raw);
    expect(Array.isArray(services)).toBe(true);
    expect(services[0]).toEqual({
      service_code: 'leak',
      service_name: leakType().name.ko,
      description: leakType().description.ko,
      metadata: true,
      type: 'realtime',
      keywords: expect.any(String),
      group: expect.any(String),
    });

    const asXml = await get('/open311/v2/services.xml', { lang: 'en' });
    expect(asXml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(asXml.raw.toString()).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>/);
    const [leak] = xml(asXml.raw).services.service;
    expect(leak).toMatchObject({
      service_code: 'leak',
      service_name: 'Leak',
      metadata: 'true',
      type: 'realtime',
    });
  });

  it('describes a service’s attributes, and answers 404 for an unknown code or format', async () => {
    const definition = json((await get('/open311/v2/services/water-quality.json', { lang: 'en' })).raw);
    expect(definition.service_code).toBe('water-quality');
    expect(definition.attributes[0]).toMatchObject({
      variable: true,
      code: 'symptoms',
      datatype: 'multivaluelist',
      required: true,
      order: 1,
      description: 'What is wrong?',
      values: [
        { key: 'colour', name: 'Colour' },
        { key: 'smell', name: 'Smell' },
        { key: 'taste', name: 'Taste' },
      ],
    });
    const asXml = xml((await get('/open311/v2/services/water-quality.xml')).raw);
    expect(asXml.service_definition.attributes.attribute[0].values.value[0]).toEqual({
      key: 'colour',
      name: '색',
    });

    const unknownJson = await get('/open311/v2/services/potholes.json');
    expect(unknownJson.status).toBe(404);
    expect(json(unknownJson.raw)).toEqual([
      { code: 404, description: 'There is no service with service_code "potholes".' },
    ]);
    const unknownXml = await get('/open311/v2/services/potholes.xml');
    expect(unknownXml.status).toBe(404);
    expect(xml(unknownXml.raw).errors.error).toEqual([
      { code: '404', description: 'There is no service with service_code "potholes".' },
    ]);
    // A format the spec does not name: 404, in XML (the one format every client reads).
    const html = await get('/open311/v2/services/leak.html');
    expect(html.status).toBe(404);
    expect(html.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml(html.raw).errors.error[0].code).toBe('404');
    expect((await get('/open311/v2/nothing.json')).status).toBe(404);
  });
});

describe('POST requests', () => {
  it('files a form-encoded complaint with its api_key and answers its tracking code in XML', async () => {
    // A partner app reports a leak on Sejong-daero for one of its users.
    const filed = await post('xml', leakForm());
    expect(filed.status).toBe(201);
    expect(filed.headers['content-type']).toBe('text/xml; charset=utf-8');
    const [answer] = xml(filed.raw).service_requests.request;
    expect(answer).toEqual({
      service_request_id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{8}$/),
      service_notice: leakNotice(),
      account_id: 'partner-user-77',
    });
    const stored = await world.deps.complaints.getByTrackingCode(answer.service_request_id);
    expect(stored).toMatchObject({
      type: 'leak',
      district: expect.any(String),
      location: { lat: 37.5735, long: 126.979 },
      address: '서울 종로구 세종대로 175',
      attributes: { where: 'outdoors' },
      phone: '+821012345678',
      // Open311 has no consent field: a partner's phone is kept for staff, never texted.
      contactConsent: false,
      source: { channel: 'open311', keyId },
    });

    const [view] = json((await get(`/open311/v2/requests/${answer.service_request_id}.json`)).raw);
    expect(view).toMatchObject({
      service_request_id: answer.service_request_id,
      status: 'open',
      service_code: 'leak',
      description: '길가 하수구 옆에서 물이 솟아 나옵니다.',
      requested_datetime: '2026-12-01T10:00:00+09:00',
      expected_datetime: '2026-12-02T10:00:00+09:00',
      address: '서울 종로구 세종대로 175',
      lat: 37.5735,
      long: 126.979,
    });
    // Routed by its place to a district office: that office's complaints desk answers for it.
    const district = world.deps.config.districts.find((d) => d.code === stored?.district);
    expect(district).toBeDefined();
    expect(view.agency_responsible).toBe((district?.complaintsContact?.name ?? district?.name)?.ko);
    expect(JSON.stringify(view)).not.toContain(stored?.id);
    expect(JSON.stringify(view)).not.toContain('+821012345678');
  });

  it('files a second report of the same leak at once, naming the open one in its service_notice', async () => {
    // Two passers-by report the same burst pipe through the partner app, minutes apart.
    const [first] = json((await post('json', leakForm())).raw);
    world.clock.set(new Date('2026-12-01T01:05:00Z'));
    const second = await post('json', leakForm([['lat', '37.5736']]));
    expect(second.status).toBe(201);
    const [answer] = json(second.raw);
    expect(answer.service_request_id).not.toBe(first.service_request_id);
    expect(answer.service_notice).toBe(
      `${leakNotice()} 비슷한 민원이 접수되어 있습니다: ${first.service_request_id}.`,
    );
    const stored = await world.deps.complaints.getByTrackingCode(answer.service_request_id);
    expect(stored?.possibleDuplicates).toEqual([first.service_request_id]);
  });

  it('reads attribute[code][] as a multi-value list, and keeps a private type’s place out of every answer', async () => {
    // Brown, smelly tap water at home: a private complaint, its address is nobody else's business.
    const filed = await post('json', [
      ['api_key', apiKey],
      ['service_code', 'water-quality'],
      ['address_string', '서울 종로구 자하문로 1'],
      ['lat', '37.58'],
      ['long', '126.97'],
      ['attribute[symptoms][]', 'colour'],
      ['attribute[symptoms][]', 'smell'],
      ['description', '물이 갈색이고 냄새가 납니다.'],
    ]);
    expect(filed.status).toBe(201);
    const [answer] = json(filed.raw);
    const stored = await world.deps.complaints.getByTrackingCode(answer.service_request_id);
    expect(stored?.attributes).toEqual({ symptoms: ['colour', 'smell'] });

    for (const format of ['json', 'xml']) {
      const one = await get(`/open311/v2/requests/${answer.service_request_id}.${format}`);
      const text = one.raw.toString();
      expect(one.status).toBe(200);
      expect(text).not.toContain('자하문로');
      expect(text).not.toContain('37.58');
      expect(text).not.toContain('126.97');
      expect(text).not.toContain('냄새');
    }
    const list = await get('/open311/v2/requests.xml');
    expect(list.raw.toString()).toContain(answer.service_request_id);
    expect(list.raw.toString()).not.toContain('자하문로');
  });

  it('keeps an indoor leak’s place and description out of every answer, and shows an outdoor one’s', async () => {
    // A partner app's user reports water through their flat's ceiling: leaks are public, this one is a home.
    const [indoor] = json(
      (
        await post(
          'json',
          leakForm([
            ['attribute[where]', 'indoors'],
            ['address_string', '서울 종로구 자하문로 1, 302호'],
            ['description', '302호 천장에서 물이 샙니다.'],
          ]),
        )
      ).raw,
    );
    const [outdoor] = json((await post('json', leakForm([['lat', '37.5736']]))).raw);
    // The passer-by's app is not told the code of the flat's report next door.
    expect(outdoor.service_notice).toBe(leakNotice());
    for (const format of ['json', 'xml']) {
      const one = (await get(`/open311/v2/requests/${indoor.service_request_id}.${format}`)).raw.toString();
      expect(one).toContain(indoor.service_request_id);
      for (const hidden of ['302', '자하문로', '천장', '37.5735', '126.979'])
        expect(one).not.toContain(hidden);
    }
    const list = json((await get('/open311/v2/requests.json')).raw) as Array<Record<string, unknown>>;
    const inList = list.find((r) => r.service_request_id === indoor.service_request_id);
    expect(inList).toBeDefined();
    for (const field of ['address', 'lat', 'long', 'description']) expect(inList).not.toHaveProperty(field);
    expect(list.find((r) => r.service_request_id === outdoor.service_request_id)).toMatchObject({
      address: '서울 종로구 세종대로 175',
      lat: 37.5736,
      long: 126.979,
      description: '길가 하수구 옆에서 물이 솟아 나옵니다.',
    });
  });

  it('answers 403 without a valid api_key, in JSON and XML, and files nothing', async () => {
    const without = leakForm().filter(([name]) => name !== 'api_key');
    const missing = await post('json', without);
    expect(missing.status).toBe(403);
    expect(json(missing.raw)).toEqual([
      { code: 403, description: 'api_key is missing, unknown or revoked.' },
    ]);
    const empty = await post('xml', [['api_key', ''], ...without]);
    expect(empty.status).toBe(403);
    expect(xml(empty.raw).errors.error).toEqual([
      { code: '403', description: 'api_key is missing, unknown or revoked.' },
    ]);
    expect((await post('json', [['api_key', 'ud311_guess'], ...without])).status).toBe(403);

    // A revoked key stops working at once.
    await revokeOpen311Key(world.deps, keyId);
    expect((await post('json', leakForm())).status).toBe(403);
    expect(json((await get('/open311/v2/requests.json')).raw)).toEqual([]);
  });

  it('answers 404 for an unknown service code and 400 for a request without a place, in both formats', async () => {
    const unknown = await post(
      'xml',
      leakForm([['service_code', 'pothole']]).filter((_, i) => i !== 1),
    );
    expect(unknown.status).toBe(404);
    expect(xml(unknown.raw).errors.error[0].description).toBe(
      'There is no service with service_code "pothole".',
    );

    // Empty parameters count as absent: lat= and address_string= give no place.
    const placeless = leakForm().filter(([name]) => !['lat', 'long', 'address_string'].includes(name));
    for (const format of ['json', 'xml']) {
      const answer = await post(format, [...placeless, ['lat', ''], ['address_string', '']]);
      expect(answer.status).toBe(400);
      const errors = format === 'json' ? json(answer.raw) : xml(answer.raw).errors.error;
      expect(errors[0].description).toBe('lat/long: give lat and long, address_string or address_id');
    }
    const noService = await post(
      'json',
      leakForm().filter(([name]) => name !== 'service_code'),
    );
    expect(noService.status).toBe(400);
    expect(json(noService.raw)).toEqual([{ code: 400, description: 'service_code: required' }]);
  });

  it('names each bad field in Open311 terms: a missing required attribute, a value off the list, a long text', async () => {
    const noWhere = await post(
      'json',
      leakForm().filter(([name]) => name !== 'attribute[where]'),
    );
    expect(noWhere.status).toBe(400);
    expect(json(noWhere.raw)).toEqual([{ code: 400, description: 'attribute[where]: required' }]);

    const offList = await post('xml', leakForm([['attribute[where]', 'on-the-moon']]));
    expect(offList.status).toBe(400);
    expect(xml(offList.raw).errors.error[0].description).toBe('attribute[where]: one of: indoors, outdoors');

    const long = await post('json', leakForm([['description', 'x'.repeat(4001)]]));
    expect(long.status).toBe(400);
    expect(json(long.raw)[0].description).toMatch(/^description: /);

    const badLat = await post('json', leakForm([['lat', 'north']]));
    expect(badLat.status).toBe(400);
    expect(json(badLat.raw)[0].description).toMatch(/^lat: /);

    const multi = await post('json', [
      ['api_key', apiKey],
      ['service_code', 'water-quality'],
      ['address_id', 'BLD-1100-77'],
      ['attribute[symptoms][]', 'colour'],
      ['attribute[symptoms][]', 'noise'],
    ]);
    expect(multi.status).toBe(400);
    expect(json(multi.raw)[0].description).toMatch(/^attribute\[symptoms\]: not in the list \(noise\)/);
    expect(json((await get('/open311/v2/requests.json')).raw)).toEqual([]);
  });

  it('files a request without a description under the service’s name, and refuses a body that is not a form', async () => {
    const filed = await post(
      'json',
      leakForm().filter(([name]) => name !== 'description'),
    );
    expect(filed.status).toBe(201);
    const stored = await world.deps.complaints.getByTrackingCode(json(filed.raw)[0].service_request_id);
    expect(stored?.description).toBe('누수 신고');

    const asJson = await call(postRoute, world.deps, {
      method: 'POST',
      path: '/open311/v2/requests.json',
      routePath: '/open311/v2/{file}',
      pathParameters: { file: 'requests.json' },
      body: { api_key: apiKey },
    });
    expect(asJson.status).toBe(400);
    expect(json(asJson.raw)[0].code).toBe(400);
  });

  it('holds a partner to the configured jurisdiction_id (404 for another) and to its key’s rate limit (429)', async () => {
    const config = world.deps.config;
    const strict: Deps = {
      ...world.deps,
      config: {
        ...config,
        complaints: {
          ...config.complaints,
          open311: {
            jurisdictionId: 'seoul.go.kr',
            contact: 'Seoul 120',
            changeset: '2026-11-01T00:00:00+09:00',
          },
          limits: { ...config.complaints.limits, perApiKey: { max: 1, windowMinutes: 60 } },
        },
      },
    };
    const elsewhere = await post('xml', leakForm([['jurisdiction_id', 'busan.go.kr']]), strict);
    expect(elsewhere.status).toBe(404);
    expect(xml(elsewhere.raw).errors.error[0].description).toBe(
      'This endpoint serves jurisdiction_id "seoul.go.kr" only.',
    );
    expect((await post('json', leakForm([['jurisdiction_id', 'seoul.go.kr']]), strict)).status).toBe(201);

    // The key's hour is used up: the spec knows no 429, so it comes with Retry-After and an error list.
    const limited = await post('xml', leakForm(), strict);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(xml(limited.raw).errors.error[0]).toEqual({
      code: '429',
      description: 'Too many complaints from this api_key: at most 1 in 60 minutes.',
    });
  });
});

describe('GET requests', () => {
  /** Complaints filed straight into the store, as if over the past weeks. */
  async function seed(complaints: Complaint[]): Promise<void> {
    for (let i = 0; i < complaints.length; i += 50) {
      await Promise.all(complaints.slice(i, i + 50).map((c) => world.deps.complaints.create(c)));
    }
  }
  const at = (daysAgo: number, hours = 0) =>
    new Date(Date.parse('2026-12-01T01:00:00Z') - daysAgo * 86_400_000 - hours * 3_600_000).toISOString();

  it('lists the last 90 days newest first by default, filters by service and status, and answers a list of ids', async () => {
    const recent = aComplaint({ type: 'leak', createdAt: at(1), location: { lat: 37.57, long: 126.98 } });
    const resolved = aComplaint({ type: 'leak', createdAt: at(10), status: 'resolved', district: '11140' });
    const private_ = aComplaint({ type: 'water-quality', createdAt: at(30), district: 'central' });
    const old = aComplaint({ type: 'leak', createdAt: at(91) });
    await seed([recent, resolved, private_, old]);

    const all = json((await get('/open311/v2/requests.json')).raw);
    expect(all.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      recent.trackingCode,
      resolved.trackingCode,
      private_.trackingCode,
    ]);
    expect(all[1].status).toBe('closed');
    expect(all[2].agency_responsible).toBe('다산콜센터 민원 접수');

    const closed = json((await get('/open311/v2/requests.json', { status: 'closed' })).raw);
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      resolved.trackingCode,
    ]);
    const quality = xml((await get('/open311/v2/requests.xml', { service_code: 'water-quality' })).raw);
    expect(quality.service_requests.request.map((r: { service_code: string }) => r.service_code)).toEqual([
      'water-quality',
    ]);
    // An explicit window reaches back further; empty parameters are ignored.
    const earlier = json(
      (
        await get('/open311/v2/requests.json', {
          start_date: '2026-08-01T00:00:00+09:00',
          end_date: '2026-10-01T00:00:00+09:00',
          status: '',
        })
      ).raw,
    );
    expect(earlier.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      old.trackingCode,
    ]);

    // service_request_id overrides every other parameter, and unknown ids are left out.
    const byId = json(
      (
        await get('/open311/v2/requests.json', {
          service_request_id: `${old.trackingCode},ZZZZZZZZ,${recent.trackingCode.toLowerCase()}`,
          status: 'closed',
        })
      ).raw,
    );
    expect(byId.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      old.trackingCode,
      recent.trackingCode,
    ]);
  });

  it('refuses a window over 90 days, dates it cannot read and an unknown status, with 400 in both formats', async () => {
    const wide = await get('/open311/v2/requests.json', {
      start_date: '2026-01-01T00:00:00+09:00',
      end_date: '2026-06-01T00:00:00+09:00',
    });
    expect(wide.status).toBe(400);
    expect(json(wide.raw)).toEqual([
      { code: 400, description: 'end_date: at most 90 days after start_date' },
    ]);
    const exactly90 = await get('/open311/v2/requests.json', {
      start_date: '2026-09-02T10:00:00+09:00',
      end_date: '2026-12-01T10:00:00+09:00',
    });
    expect(exactly90.status).toBe(200);

    const unreadable = await get('/open311/v2/requests.xml', { start_date: 'yesterday' });
    expect(unreadable.status).toBe(400);
    expect(xml(unreadable.raw).errors.error[0]).toEqual({
      code: '400',
      description: 'start_date: a date-time',
    });
    expect((await get('/open311/v2/requests.json', { status: 'pending' })).status).toBe(400);
    expect((await get('/open311/v2/requests.json', { service_code: 'pothole' })).status).toBe(404);
  });

  it('answers at most 1,000 requests, the newest', async () => {
    // A busy month: 1,005 leaks in one district, one an hour.
    const many = Array.from({ length: 1005 }, (_, i) =>
      aComplaint({ type: 'leak', createdAt: at(0, i + 1) }),
    );
    await seed(many);
    const calls = recordDynamoCalls(world.table.client);
    const answer = json((await get('/open311/v2/requests.json')).raw);
    expect(answer).toHaveLength(1000);
    // The queues are read backwards a day, two, four... at a time and the search stops at 1,000: here six
    // slices (1 + 2 + 4 + 8 + 16 + 32 days reach the 1,000th) of 7 queues (6 districts and the central desk)
    // x 5 statuses, one Query each (no slice holds more than a page of 500).
    // Besides, one UpdateItem counts the search against the address's limit.
    const queries = calls.filter((c) => c.operation === 'Query');
    expect(calls.length).toBe(queries.length + 1);
    expect(calls.filter((c) => c.operation === 'UpdateItem')).toHaveLength(1);
    expect(queries.length).toBe(6 * 7 * 5);
    expect(answer[0].service_request_id).toBe(many[0]?.trackingCode);
    expect(answer[999].service_request_id).toBe(many[999]?.trackingCode);
  }, 120_000);
});

describe('tokens, one request and discovery', () => {
  it('answers a token lookup with the request it stands for, and 404 for an unknown one', async () => {
    const [filed] = json((await post('json', leakForm())).raw);
    const token = await get(`/open311/v2/tokens/${filed.service_request_id}.xml`);
    expect(xml(token.raw).service_requests.request).toEqual([
      { service_request_id: filed.service_request_id, token: filed.service_request_id },
    ]);
    const unknown = await get('/open311/v2/tokens/ZZZZZZZZ.json');
    expect(unknown.status).toBe(404);
    expect(json(unknown.raw)).toEqual([{ code: 404, description: 'There is no token "ZZZZZZZZ".' }]);
    const missing = await get('/open311/v2/requests/ZZZZZZZZ.xml');
    expect(missing.status).toBe(404);
    expect(xml(missing.raw).errors.error[0].description).toBe('There is no service request "ZZZZZZZZ".');
  });

  it('describes the endpoint in a discovery document', async () => {
    const asJson = json((await get('/open311/v2/discovery.json')).raw);
    // contact and changeset come from the utility's configuration (complaints.open311).
    expect(asJson).toMatchObject({
      changeset: world.deps.config.complaints.open311?.changeset,
      contact: world.deps.config.complaints.open311?.contact,
    });
    expect(asJson.changeset).toBe('2026-12-01T00:00:00+09:00');
    expect(asJson.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: expect.stringMatching(/\/open311\/v2$/),
        changeset: asJson.changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ]);
    const asXml = xml((await get('/open311/v2/discovery.xml')).raw).discovery;
    expect(asXml.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
    expect(asXml.contact).toBe(asJson.contact);
  });
});
