import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { parseUtilityConfig } from '#config/schema';

describe.each(['seoul-water', 'tyumen-power'] as const)('the complaint types of %s', (utility) => {
  const config = loadUtilityConfig(utility);
  const { types } = config.complaints;

  it('parse from the shipped file', () => {
    expect(() => parseUtilityConfig(structuredClone(config), `${utility}.json`)).not.toThrow();
    expect(types.length).toBeGreaterThanOrEqual(5);
  });

  // A portal in English must not show a Korean (or Russian) label in the middle of an English form.
  it('name every type, field and list value in every language the utility speaks', () => {
    for (const type of types) {
      const texts = [type.name, type.description, type.department, type.group];
      for (const attribute of type.attributes) {
        texts.push(attribute.name, ...(attribute.values ?? []).map((v) => v.name));
        if (attribute.hint) texts.push(attribute.hint);
      }
      for (const text of texts)
        expect(Object.keys(text ?? {}).sort(), type.code).toEqual([...config.languages].sort());
    }
  });

  // A list with one value is no choice at all: every list offers at least two.
  it('give every single- and multi-value list its values', () => {
    const lists = types.flatMap((t) =>
      t.attributes.filter((a) => a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist'),
    );
    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const list of lists) expect(list.values?.length ?? 0, list.code).toBeGreaterThanOrEqual(2);
  });

  it('promise an answer within days, not weeks', () => {
    for (const type of types) expect(type.slaHours, type.code).toBeLessThanOrEqual(5 * 24);
  });

  it('describe itself for Open311 partners', () => {
    expect(config.complaints.open311).toMatchObject({ contact: expect.any(String) });
  });
});

describe('demo complaint types', () => {
  // Seoul's water complaints by kind: plumbing works, bill disputes, leak detection, meter replacement, water quality.
  it('cover the kinds of water complaints Seoul receives', () => {
    const seoul = loadUtilityConfig('seoul-water').complaints.types;
    expect(seoul.map((t) => t.code).sort()).toEqual(
      ['bill-dispute', 'leak', 'meter-replacement', 'plumbing-works', 'water-quality'].sort(),
    );
    const byCode = new Map(seoul.map((t) => [t.code, t]));
    // A leak on a road or works in a street are there for all to see; a bill or the tap water at home are not.
    expect(byCode.get('leak')?.public).toBe(true);
    expect(byCode.get('plumbing-works')?.public).toBe(true);
    expect(byCode.get('bill-dispute')?.public).toBe(false);
    expect(byCode.get('water-quality')?.public).toBe(false);
    expect(
      byCode
        .get('water-quality')
        ?.attributes.find((a) => a.code === 'symptoms')
        ?.values?.map((v) => v.key),
    ).toEqual(['colour', 'smell', 'taste']);
    expect(
      byCode
        .get('leak')
        ?.attributes.find((a) => a.code === 'where')
        ?.values?.map((v) => v.key),
    ).toEqual(['indoors', 'outdoors']);
  });

  // A wire on the ground can kill: it has the shortest deadline of all.
  it('give Tyumen outages, disputes, meter faults and dangers, the danger first', () => {
    const tyumen = loadUtilityConfig('tyumen-power').complaints.types;
    expect(tyumen.map((t) => t.code)).toEqual(
      expect.arrayContaining(['outage', 'billing-dispute', 'meter-fault', 'wire-down', 'reading-dispute']),
    );
    const fastest = [...tyumen].sort((a, b) => a.slaHours - b.slaHours)[0];
    expect(fastest?.code).toBe('wire-down');
  });
});

describe('private answers', () => {
  // A leak inside a flat or a power cut in one flat points at someone's home, though the type itself is public.
  it('mark the answers that point at a home as private, and nothing else', () => {
    const privateValues = (utility: 'seoul-water' | 'tyumen-power') =>
      loadUtilityConfig(utility).complaints.types.flatMap((type) =>
        type.attributes.flatMap((attribute) =>
          (attribute.values ?? [])
            .filter((value) => value.private)
            .map((value) => `${type.code}.${attribute.code}.${value.key}`),
        ),
      );
    expect(privateValues('seoul-water')).toEqual(['leak.where.indoors']);
    expect(privateValues('tyumen-power')).toEqual(['outage.scope.flat']);
  });

  // A typo such as "private": "yes" must stop the deployment, not leave a home's address public.
  it('refuses a private mark that is not true or false, naming the value', () => {
    const config = structuredClone(loadUtilityConfig('seoul-water')) as unknown as {
      complaints: { types: Array<{ attributes: Array<{ values?: Array<Record<string, unknown>> }> }> };
    };
    const where = config.complaints.types[0]?.attributes[0]?.values?.[0];
    if (!where) throw new Error('the demo leak type has no "where" values');
    where.private = 'yes';
    expect(() => parseUtilityConfig(config, 'seoul-water.json')).toThrow(
      /complaints\.types\.0\.attributes\.0\.values\.0\.private/,
    );
  });
});
