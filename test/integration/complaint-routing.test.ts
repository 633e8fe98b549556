// Routing end to end: a complaint filed through POST /complaints with only an address or only a pin is stored
// for the district office that place belongs to, or for the central desk.
import { beforeAll, describe, expect, it } from 'vitest';
import { route as fileRoute } from '#handlers/http/file-complaint';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call } from '#test/support/http';

let seoul: TestWorld;
let tyumen: TestWorld;

async function fileAndRead(world: TestWorld, body: Record<string, unknown>, sourceIp: string) {
  const filed = await call(fileRoute, world.deps, { method: 'POST', path: '/complaints', body, sourceIp });
  expect(filed.status, JSON.stringify(filed.json)).toBe(201);
  const stored = await world.deps.complaints.get(String(filed.json.id));
  return { district: stored?.district, routedBy: stored?.routedBy };
}

const seoulLeak = (place: Record<string, unknown>) => ({
  type: 'leak',
  description: '보도블록 사이로 물이 계속 올라옵니다.',
  attributes: { where: 'outdoors' },
  ...place,
});

beforeAll(async () => {
  const now = new Date('2026-12-01T01:00:00Z');
  [seoul, tyumen] = await Promise.all([testWorld('seoul-water', now), testWorld('tyumen-power', now)]);
});

describe('a complaint reaches the district office of its place', () => {
  // A resident of Mapo types the address from their door and nothing else.
  it('routes by the district named in the address', async () => {
    expect(
      await fileAndRead(seoul, seoulLeak({ address: '서울특별시 마포구 월드컵로 212' }), '198.51.100.1'),
    ).toEqual({
      district: '11440',
      routedBy: 'address',
    });
  });

  // A visitor drops a pin by Lotte World Tower without knowing the district's name.
  it('routes by the district area the pin lies in', async () => {
    expect(
      await fileAndRead(seoul, seoulLeak({ location: { lat: 37.5126, long: 127.1025 } }), '198.51.100.2'),
    ).toEqual({ district: '11710', routedBy: 'location' });
  });

  // A pin in Yongsan, a district the demo utility does not serve: the central desk takes it and finds the office.
  it('sends a place outside every district to the central desk', async () => {
    expect(
      await fileAndRead(seoul, seoulLeak({ location: { lat: 37.5324, long: 126.99 } }), '198.51.100.3'),
    ).toEqual({ district: 'central', routedBy: 'central' });
  });

  // Kogalym is 700 km from Tyumen: an outage there must reach the Kogalym office, named in the address in Russian.
  it('routes a Tyumen outage in Kogalym to the Kogalym office', async () => {
    const outage = {
      type: 'outage',
      description: 'Нет света во всём доме с 18:00.',
      address: 'г. Когалым, ул. Мира, 15',
      attributes: { scope: 'building' },
    };
    expect(await fileAndRead(tyumen, outage, '198.51.100.4')).toEqual({
      district: 'kogalym',
      routedBy: 'address',
    });
  });
});
