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
