// The README's Open311 walk on the local runtime: the demo api_key from /_local/demo, a leak filed form-encoded over
// real HTTP, and the same complaint read back in XML and on the native tracking route.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

let runtime: Runtime;
const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ['request', 'error'].includes(name),
});

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('seoul-water'),
    // Pinned: the answer's dates are checked to the second.
    clock: new ManualClock(new Date('2026-12-02T00:22:35Z')),
    port: 0,
    demoAccounts: 10,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName: `e2e-open311-${Date.now()}` },
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('Open311 on npm start', () => {
  it('files a leak with the demo api_key over HTTP and shows it in XML and on the tracking route', async () => {
    // A developer tries the partner API as the README shows it, with curl's form encoding.
    const demo = (await (await fetch(`${runtime.url}/_local/demo`)).json()) as { open311ApiKey: string };
    expect(demo.open311ApiKey).toMatch(/^ud311_/);
    const form = new URLSearchParams({
      api_key: demo.open311ApiKey,
      service_code: 'leak',
      lat: '37.5735',
      long: '126.979',
      'attribute[where]': 'outdoors',
      address_string: '서울 종로구 세종대로 175',
      description: '보도블록 사이로 물이 솟아 나옵니다.',
    });
    const filed = await fetch(`${runtime.url}/open311/v2/requests.xml`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(filed.status).toBe(201);
    expect(filed.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const [answer] = parser.parse(await filed.text()).service_requests.request;
    const code = answer.service_request_id as string;

    const one = await fetch(`${runtime.url}/open311/v2/requests/${code}.xml`);
    const [request] = parser.parse(await one.text()).service_requests.request;
    expect(request).toMatchObject({
      service_request_id: code,
      status: 'open',
      service_code: 'leak',
      requested_datetime: '2026-12-02T09:22:35+09:00',
      expected_datetime: '2026-12-03T09:22:35+09:00',
      lat: '37.5735',
    });
    const native = (await (await fetch(`${runtime.url}/complaints/${code}`)).json()) as { status: string };
    expect(native.status).toBe('received');

    const refused = await fetch(`${runtime.url}/open311/v2/requests.xml`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'service_code=leak&lat=37.5&long=126.9',
    });
    expect(refused.status).toBe(403);
    expect(parser.parse(await refused.text()).errors.error[0].code).toBe('403');
  });
});
