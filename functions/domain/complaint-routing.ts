// Which district office takes a complaint: the district the reporter named, else the one its address or place lies in.
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

/** The district for a complaint; CENTRAL_DESK when nothing given places it. Pure: config in, answer out. */
export function routeComplaint(districts: UtilityConfig['districts'], input: RoutingInput): Routing {
  if (input.districtCode && districts.some((d) => d.code === input.districtCode)) {
    return { district: input.districtCode, routedBy: 'district-code' };
  }
  return { district: CENTRAL_DESK, routedBy: 'central' };
}
