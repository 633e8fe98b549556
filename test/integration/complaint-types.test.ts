import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { route as utilityRoute } from '#handlers/http/get-utility';
import { route } from '#handlers/http/list-complaint-types';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';

let seoul: TestWorld;
let tyumen: TestWorld;
const get = (world: TestWorld, query?: Record<string, string>, headers?: Record<string, string>) =>
  call(route, world.deps, { method: 'GET', path: '/complaint-types', query, headers });

/** The answer's shape, strictly: a field the route adds or drops unannounced fails here (and in docs/openapi.yaml). */
const text = z.string().min(1);
const typeListSchema = z.strictObject({
  language: z.string().regex(/^[a-z]{2}$/),
  types: z.array(
    z.strictObject({
      code: text,
      name: text,
      description: text,
      group: text.optional(),
      department: text,
      slaHours: z.number().int().positive(),
      public: z.boolean(),
      attributes: z.array(
        z.strictObject({
          code: text,
          datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
          required: z.boolean(),
          name: text,
          hint: text.optional(),
          order: z.number().int().min(1),
          values: z
            .array(z.strictObject({ key: text, name: text, private: z.literal(true).optional() }))
            .optional(),
        }),
      ),
    }),
  ),
});
const typeList = (json: unknown) => typeListSchema.parse(json);

beforeAll(async () => {
  const now = new Date('2026-12-01T01:00:00Z');
  [seoul, tyumen] = await Promise.all([testWorld('seoul-water', now), testWorld('tyumen-power', now)]);
});

describe('GET /complaint-types', () => {
  // A resident opens the complaint form on a Korean phone: every type, field and choice is in Korean.
  it('lists Seoul types in Korean by default, with their fields in form order', async () => {
    const response = await get(seoul);
    expect(response.status).toBe(200);
    expect(response.headers['content-language']).toBe('ko');
    const list = typeList(response.json);
    expect(list.language).toBe('ko');
    expect(list.types.map((t) => t.code)).toEqual([
      'leak',
      'water-quality',
      'plumbing-works',
      'bill-dispute',
      'meter-replacement',
    ]);
    for (const type of list.types)
      expect(type.attributes.map((a) => a.order)).toEqual(type.attributes.map((_, i) => i + 1));
    const quality = list.types.find((t) => t.code === 'water-quality');
    expect(quality).toMatchObject({
      name: '수질 이상',
      department: '수질과',
      slaHours: 48,
      public: false,
      group: '수질',
    });
    expect(quality?.attributes[0]).toEqual({
      code: 'symptoms',
      datatype: 'multivaluelist',
      required: true,
      name: '증상',
      order: 1,
      values: [
        { key: 'colour', name: '색' },
        { key: 'smell', name: '냄새' },
        { key: 'taste', name: '맛' },
      ],
    });
    // A datetime field asks for its answer's format and offers no list.
    expect(quality?.attributes.find((a) => a.code === 'since')).toMatchObject({
      datatype: 'datetime',
      required: false,
      order: 4,
      hint: '예: 2026-12-01T07:30:00+09:00',
    });
    expect(quality?.attributes.find((a) => a.code === 'since')).not.toHaveProperty('values');
  });

  // A visitor's browser prefers English; the list answers in English and says so, per language for caches.
  it('answers in English when Accept-Language prefers it', async () => {
    const response = await get(seoul, undefined, { 'accept-language': 'en-US,en;q=0.9,ko;q=0.5' });
    const list = typeList(response.json);
    expect([list.language, response.headers['content-language']]).toEqual(['en', 'en']);
    expect(response.headers.vary).toBe('accept-language');
    expect(list.types.find((t) => t.code === 'leak')).toMatchObject({
      name: 'Leak',
      public: true,
      slaHours: 24,
    });
    expect(list.types.find((t) => t.code === 'leak')?.attributes[0]?.values).toEqual([
      { key: 'indoors', name: 'Indoors', private: true },
      { key: 'outdoors', name: 'Outdoors' },
    ]);
  });

  // The Tyumen portal's language switch sends ?lang=, which beats the browser's setting.
  it('lists Tyumen types in Russian, and in English with ?lang=en', async () => {
    const russian = typeList((await get(tyumen, undefined, { 'accept-language': 'ru-RU' })).json);
    expect(russian.language).toBe('ru');
    expect(russian.types.find((t) => t.code === 'outage')).toMatchObject({
      name: 'Отключение электроэнергии',
      department: 'Диспетчерская служба',
    });
    // A power cut in one flat is about that home: the form can tell the resident it stays private.
    expect(russian.types.find((t) => t.code === 'outage')?.attributes[0]?.values?.slice(0, 2)).toEqual([
      { key: 'flat', name: 'В квартире', private: true },
      { key: 'building', name: 'Во всём доме' },
    ]);
    const english = typeList((await get(tyumen, { lang: 'en' }, { 'accept-language': 'ru-RU' })).json);
    expect(english.language).toBe('en');
    expect(english.types.find((t) => t.code === 'wire-down')).toMatchObject({
      name: 'Wire down or danger',
      slaHours: 2,
      public: true,
    });
  });

  // The portal reads its form from GET /utility: the private mark must reach it there too.
  it('marks the private choices the same way in GET /utility', async () => {
    const answer = await call(utilityRoute, seoul.deps, {
      method: 'GET',
      path: '/utility',
      query: { lang: 'ko' },
    });
    const types = z.object({ complaintTypes: typeListSchema.shape.types }).parse(answer.json).complaintTypes;
    expect(types.find((t) => t.code === 'leak')?.attributes[0]?.values).toEqual([
      { key: 'indoors', name: '실내', private: true },
      { key: 'outdoors', name: '실외' },
    ]);
  });

  // A language the utility does not speak falls back (the answer names the one used); a malformed one is a 400.
  it('falls back to the primary language for one it does not offer, and refuses a malformed ?lang', async () => {
    expect(typeList((await get(tyumen, { lang: 'de' })).json).language).toBe('ru');
    const bad = await get(tyumen, { lang: 'russian' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('application/problem+json');
    expect(bad.json.type).toBe(problemType('validation-error'));
  });
});
