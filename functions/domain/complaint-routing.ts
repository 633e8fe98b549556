// Which district office takes a complaint: the district the reporter named, else the one its address or place lies in.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { DistrictArea } from '#config/complaints';
import type { UtilityConfig } from '#config/schema';
import { CENTRAL_DESK, type GeoPoint, type RoutedBy } from './complaint.ts';

export interface RoutingInput {
  districtCode?: string;
  address?: string;
  location?: GeoPoint;
}

export interface Routing {
  /** A configured district's code, or CENTRAL_DESK. */
  district: string;
  routedBy: RoutedBy;
}

type District = UtilityConfig['districts'][number];

/**
 * The district for a complaint; CENTRAL_DESK when nothing given places it. Pure: config in, answer out.
 * Tried in order, each step falling through when it gives no single answer: the district code (an unknown code is
 * a typo to forgive, not an error), the address's district name, the coordinates inside a district's area.
 */
export function routeComplaint(districts: UtilityConfig['districts'], input: RoutingInput): Routing {
  if (input.districtCode && districts.some((d) => d.code === input.districtCode)) {
    return { district: input.districtCode, routedBy: 'district-code' };
  }
  const byAddress = input.address ? districtByAddress(districts, input.address) : undefined;
  if (byAddress) return { district: byAddress, routedBy: 'address' };
  const byLocation = input.location ? districtByLocation(districts, input.location) : undefined;
  if (byLocation) return { district: byLocation, routedBy: 'location' };
  return { district: CENTRAL_DESK, routedBy: 'central' };
}

/**
 * A name or an address compared without case, spaces or punctuation, in Unicode NFC: "Jongno-gu", "jongno gu" and
 * "JONGNOGU" are one name, and a Hangul name typed as decomposed jamo (NFD, as some keyboards send it) still matches.
 */
function addressKey(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The district whose name the address contains. The longest name found wins, so "Jongno-gu" beats a shorter name
 * inside it; two districts tied on the longest name give no answer, since guessing would send it to the wrong office.
 */
function districtByAddress(districts: readonly District[], address: string): string | undefined {
  const text = addressKey(address);
  let best = 0;
  let winners = new Set<string>();
  for (const district of districts) {
    for (const name of [...district.addressNames, ...Object.values(district.name)]) {
      const key = addressKey(name);
      if (key.length < 2 || key.length < best || !text.includes(key)) continue;
      if (key.length > best) {
        best = key.length;
        winners = new Set();
      }
      winners.add(district.code);
    }
  }
  return winners.size === 1 ? [...winners][0] : undefined;
}

/**
 * The first district, in config order, whose area contains the point, its boundary included: a point on the edge
 * two districts share goes to the one listed first, every time.
 */
function districtByLocation(districts: readonly District[], point: GeoPoint): string | undefined {
  return districts.find((d) => d.area && areaContains(d.area, point))?.code;
}

/** Whether the point lies in the area or on its edge. */
function areaContains(area: DistrictArea, point: GeoPoint): boolean {
  if ('box' in area) {
    const { south, west, north, east } = area.box;
    return point.lat >= south && point.lat <= north && point.long >= west && point.long <= east;
  }
  // GeoJSON is [long, lat] and wants its ring closed; the config is [lat, long] and may leave it open.
  const ring = area.polygon.map(([lat, long]) => [long, lat]);
  const [first] = ring;
  const last = ring.at(-1);
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push(first);
  return booleanPointInPolygon([point.long, point.lat], { type: 'Polygon', coordinates: [ring] });
}
