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

/** A place well inside each demo district, and an address there as residents write it. */
const demoPlaces: Record<
  string,
  Record<string, { place: string; lat: number; long: number; address: string }>
> = {
  'seoul-water': {
    '11110': { place: 'Gyeongbokgung', lat: 37.5796, long: 126.977, address: '서울특별시 종로구 사직로 161' },
    '11140': {
      place: 'Seoul City Hall',
      lat: 37.5663,
      long: 126.9779,
      address: '서울특별시 중구 세종대로 110',
    },
    '11440': {
      place: 'Mapo-gu office',
      lat: 37.5663,
      long: 126.9019,
      address: '서울특별시 마포구 월드컵로 212',
    },
    '11500': {
      place: 'Gangseo-gu office',
      lat: 37.5509,
      long: 126.8497,
      address: '서울특별시 강서구 화곡로 302',
    },
    '11680': {
      place: 'COEX',
      lat: 37.5116,
      long: 127.0593,
      address: '513 Yeongdong-daero, Gangnam-gu, Seoul',
    },
    '11710': {
      place: 'Lotte World Tower',
      lat: 37.5126,
      long: 127.1025,
      address: '서울 송파구 올림픽로 300',
    },
  },
  'tyumen-power': {
    kogalym: { place: 'the town centre', lat: 62.2654, long: 74.4791, address: 'г. Когалым, ул. Мира, 15' },
    'tmn-central': {
      place: 'Central Square',
      lat: 57.153,
      long: 65.5343,
      address: 'Тюмень, Центральный округ',
    },
    'tmn-kalininsky': {
      place: 'north of the Tura',
      lat: 57.2,
      long: 65.48,
      address: 'Калининский округ, д. 3',
    },
    'tmn-leninsky': {
      place: 'the south of the city',
      lat: 57.095,
      long: 65.55,
      address: 'Leninsky okrug, Tyumen',
    },
    'tmn-vostochny': {
      place: 'the east of the city',
      lat: 57.15,
      long: 65.68,
      address: 'Тюмень, Восточный округ',
    },
  },
};

describe.each(['seoul-water', 'tyumen-power'] as const)('the demo districts of %s', (utility) => {
  const { districts } = loadUtilityConfig(utility);
  const places = demoPlaces[utility] ?? {};

  it('lists a place for every district it configures', () => {
    expect(Object.keys(places).sort()).toEqual(districts.map((d) => d.code).sort());
  });

  // A resident drops a pin on the map without naming a district: the pin's district takes the complaint.
  it.each(Object.entries(places))('places a pin at %s in its district', (code, { lat, long }) => {
    expect(routeComplaint(districts, { location: { lat, long } })).toEqual({
      district: code,
      routedBy: 'location',
    });
  });

  // A resident types the address as it is written on their door or bill.
  it.each(Object.entries(places))('routes an address in %s there', (code, { address }) => {
    expect(routeComplaint(districts, { address })).toEqual({ district: code, routedBy: 'address' });
  });

  // Every spelling the operator listed (Hangul or Cyrillic, English, romanised) and the district's own names work.
  it('routes every address name of every district to that district', () => {
    for (const district of districts) {
      for (const name of [...district.addressNames, ...Object.values(district.name)]) {
        expect(routeComplaint(districts, { address: `${name} 12` }), name).toEqual({
          district: district.code,
          routedBy: 'address',
        });
      }
    }
  });

  it('gives every district an area, address names and a complaints desk to alert', () => {
    for (const district of districts) {
      expect(district.area, district.code).toBeDefined();
      expect(district.addressNames.length, district.code).toBeGreaterThanOrEqual(2);
      expect(district.complaintsContact?.alertPhone, district.code).toMatch(/^\+(8210\d{8}|79\d{9})$/);
    }
  });
});

describe('demo district borders', () => {
  const seoul = loadUtilityConfig('seoul-water').districts;
  const tyumen = loadUtilityConfig('tyumen-power').districts;

  // Gangnam and Songpa meet along the Tancheon: a leak on the line goes to Gangnam (listed first), a step either
  // side to the district it is in, so the shared edge leaves neither a gap nor an overlap.
  it('gives a point on the Gangnam-Songpa border to Gangnam, and a step east of it to Songpa', () => {
    expect(routeComplaint(seoul, { location: { lat: 37.505, long: 127.073 } }).district).toBe('11680');
    expect(routeComplaint(seoul, { location: { lat: 37.505, long: 127.0731 } }).district).toBe('11710');
    expect(routeComplaint(seoul, { location: { lat: 37.505, long: 127.0729 } }).district).toBe('11680');
  });

  it('gives a point on the Jongno-Jung border to Jongno, listed first', () => {
    expect(routeComplaint(seoul, { location: { lat: 37.57, long: 126.995 } }).district).toBe('11110');
    expect(routeComplaint(seoul, { location: { lat: 37.5699, long: 126.995 } }).district).toBe('11140');
  });

  // Three okrugs meet by the Tura: the corner goes to the Central okrug, the first of them in the config.
  it('gives the corner of three Tyumen okrugs to the one listed first', () => {
    expect(routeComplaint(tyumen, { location: { lat: 57.165, long: 65.54 } })).toEqual({
      district: 'tmn-central',
      routedBy: 'location',
    });
  });

  // Yongsan is a Seoul district the demo does not serve, Roshchino airport lies outside Tyumen's okrugs.
  it('sends a place or an address outside every demo district to the central desk', () => {
    expect(routeComplaint(seoul, { location: { lat: 37.5324, long: 126.99 } }).district).toBe(CENTRAL_DESK);
    expect(routeComplaint(seoul, { address: '서울특별시 용산구 녹사평대로 150' }).district).toBe(
      CENTRAL_DESK,
    );
    expect(routeComplaint(tyumen, { location: { lat: 57.1896, long: 65.3243 } })).toEqual({
      district: CENTRAL_DESK,
      routedBy: 'central',
    });
  });

  // Dongdaemun's code (11230) is a real Seoul code the demo does not configure: the address decides instead.
  it('routes a complaint with an unknown district code by its address, else by its place', () => {
    expect(routeComplaint(seoul, { districtCode: '11230', address: '서울 송파구 올림픽로 300' })).toEqual({
      district: '11710',
      routedBy: 'address',
    });
    expect(
      routeComplaint(seoul, { districtCode: '11230', location: { lat: 37.5126, long: 127.1025 } }),
    ).toEqual({
      district: '11710',
      routedBy: 'location',
    });
  });
});
