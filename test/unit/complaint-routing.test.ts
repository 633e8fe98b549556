import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { ConfigError, parseUtilityConfig, type UtilityConfig } from '#config/schema';
import { CENTRAL_DESK } from '#domain/complaint';
import { routeComplaint } from '#domain/complaint-routing';

type Districts = UtilityConfig['districts'];

/** Two square districts side by side sharing the edge long = 10, and a box to their north. */
const squares: Districts = [
  {
    code: 'west',
    name: { en: 'West End' },
    officePhone: '1',
    addressNames: ['Westside', 'West-gu'],
    area: {
      polygon: [
        [0, 9],
        [1, 9],
        [1, 10],
        [0, 10],
      ],
    },
  },
  {
    code: 'east',
    name: { en: 'East End' },
    officePhone: '2',
    addressNames: ['Eastside', 'Westside Park'],
    area: {
      polygon: [
        [0, 10],
        [1, 10],
        [1, 11],
        [0, 11],
        [0, 10],
      ],
    },
  },
  {
    code: 'north',
    name: { en: 'North' },
    officePhone: '3',
    addressNames: ['Northside', 'Twinside'],
    area: { box: { south: 2, west: 9, north: 3, east: 11 } },
  },
  { code: 'twin', name: { en: 'Twin' }, officePhone: '4', addressNames: ['Twinside'] },
];

describe('routing a complaint to a district office', () => {
  // The reporter knows their district (the portal offered a list): that is the answer, whatever else they typed.
  it('takes a configured district code first', () => {
    expect(
      routeComplaint(squares, {
        districtCode: 'east',
        address: 'Westside',
        location: { lat: 0.5, long: 9.5 },
      }),
    ).toEqual({ district: 'east', routedBy: 'district-code' });
  });

  // A partner app sends a stale or misspelt code: the complaint still reaches the office its address names.
  it('falls through an unknown district code to the address, then to the location', () => {
    expect(routeComplaint(squares, { districtCode: 'wset', address: '12 Main St, Eastside' })).toEqual({
      district: 'east',
      routedBy: 'address',
    });
    expect(routeComplaint(squares, { districtCode: 'wset', location: { lat: 0.5, long: 9.5 } })).toEqual({
      district: 'west',
      routedBy: 'location',
    });
  });

  // Residents type district names in any case, with or without the hyphen and spaces.
  it('matches an address name without regard to case, spaces or hyphens', () => {
    for (const address of ['4 High St, WEST-GU', '4 high st westgu', '4 High St, West gu', 'east end 7'])
      expect(routeComplaint(squares, { address }).routedBy).toBe('address');
    expect(routeComplaint(squares, { address: '4 high st westgu' }).district).toBe('west');
    // The localized name counts as an address name too.
    expect(routeComplaint(squares, { address: 'East End 7' }).district).toBe('east');
  });

  // A Hangul name typed as decomposed jamo (NFD, as some phones send it) is the same name.
  it('compares names in Unicode NFC', () => {
    const seoul: Districts = [{ code: 'jongno', name: { ko: '종로구' }, officePhone: '1', addressNames: [] }];
    const decomposed = '서울 종로구 세종대로 1'.normalize('NFD');
    expect(decomposed).not.toContain('종로구');
    expect(routeComplaint(seoul, { address: decomposed })).toEqual({
      district: 'jongno',
      routedBy: 'address',
    });
  });

  // "Westside Park" lies in East End although it contains West End's "Westside": the longer name is the more precise.
  it('lets the longest name found win', () => {
    expect(routeComplaint(squares, { address: '1 Westside Park Road' }).district).toBe('east');
  });

  // An address naming two districts equally well is a guess: the place decides, or the central desk does.
  it('gives no answer by address when two districts match equally', () => {
    expect(routeComplaint(squares, { address: 'Twinside 3' })).toEqual({
      district: CENTRAL_DESK,
      routedBy: 'central',
    });
    expect(routeComplaint(squares, { address: 'Twinside 3', location: { lat: 2.5, long: 10 } })).toEqual({
      district: 'north',
      routedBy: 'location',
    });
  });

  it('places coordinates inside a polygon or a box, edges included', () => {
    expect(routeComplaint(squares, { location: { lat: 0.5, long: 10.5 } }).district).toBe('east');
    expect(routeComplaint(squares, { location: { lat: 2.5, long: 10 } }).district).toBe('north');
    expect(routeComplaint(squares, { location: { lat: 3, long: 11 } }).district).toBe('north');
    expect(routeComplaint(squares, { location: { lat: 1, long: 9.2 } }).district).toBe('west');
  });

  // A leak exactly on the street two districts share goes to the district listed first in the config, every time.
  it('gives a point on a shared edge to the district listed first', () => {
    const onEdge = { lat: 0.5, long: 10 };
    expect(routeComplaint(squares, { location: onEdge })).toEqual({ district: 'west', routedBy: 'location' });
    const reversed = [squares[1], squares[0]] as Districts;
    expect(routeComplaint(reversed, { location: onEdge }).district).toBe('east');
  });

  // Nothing places it (a point outside the city, an address with no district name): the central desk sorts it out.
  it('sends what no district takes to the central desk', () => {
    expect(routeComplaint(squares, { address: 'somewhere', location: { lat: 1.5, long: 10 } })).toEqual({
      district: CENTRAL_DESK,
      routedBy: 'central',
    });
    expect(routeComplaint(squares, {})).toEqual({ district: CENTRAL_DESK, routedBy: 'central' });
  });
});

describe('district areas in the configuration', () => {
  const withArea = (area: unknown) => {
    const raw = structuredClone(loadUtilityConfig('seoul-water')) as {
      districts: Array<Record<string, unknown>>;
    };
    const first = raw.districts[0];
    if (first) first.area = area;
    return raw;
  };
  const problemOf = (raw: unknown) => {
    try {
      parseUtilityConfig(raw, 'test.json');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  // An operator who pasted the same corner three times has drawn a line, not a district.
  it('refuses a polygon without three different corners', () => {
    expect(
      problemOf(
        withArea({
          polygon: [
            [37.5, 127],
            [37.6, 127],
            [37.5, 127],
          ],
        }),
      ),
    ).toMatch(/districts\.0\.area\.polygon: needs at least 3 different corners \(has 2\)/);
  });

  // South and north swapped (or latitude and longitude) would make a box that contains nothing.
  it('refuses a box whose south is not below its north, or whose west is not left of its east', () => {
    expect(problemOf(withArea({ box: { south: 37.6, west: 126.9, north: 37.5, east: 127 } }))).toMatch(
      /districts\.0\.area\.box: south must be less than north/,
    );
    expect(problemOf(withArea({ box: { south: 37.5, west: 127, north: 37.6, east: 126.9 } }))).toMatch(
      /districts\.0\.area\.box: west must be less than east/,
    );
  });

  it('accepts a proper box', () => {
    expect(() =>
      parseUtilityConfig(
        withArea({ box: { south: 37.5, west: 126.9, north: 37.6, east: 127 } }),
        'test.json',
      ),
    ).not.toThrow();
  });
});
