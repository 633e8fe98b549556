// Staff principals: who a staff token names, their roles and the districts they see, read from its claims.
import { z } from 'zod';

export const STAFF_ROLES = ['admin', 'staff'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A user pool group `district:<code>` limits a staff member to that district of the utility's config. */
export const DISTRICT_GROUP_PREFIX = 'district:';

export interface StaffPrincipal {
  /** The user pool's `sub` of the staff member: stable for the user's life, never reused. */
  subject: string;
  /** Empty when the token names no role this system knows: such a caller is refused (403). */
  roles: StaffRole[];
  /** The configured districts the token's `district:<code>` groups name. */
  districts: string[];
  /**
   * Whether every district is visible: an admin, or staff in no district group at all. A token whose district
   * groups are all unknown is not widened to every district: it sees none.
   */
  allDistricts: boolean;
}

const WRAPPING_QUOTES = /^(["'])(.*)\1$/;

/**
 * The group names of a `cognito:groups` claim in any shape it arrives in: a JSON array (the token itself), the
 * string API Gateway HTTP API's JWT authorizer renders a list claim as ("[admin district:11110]"), a JSON array
 * in a string, or comma-separated ("admin,staff", as a REST API's Cognito authorizer passes it). Cognito group
 * names hold no whitespace, and ours no commas, so both separate names.
 */
export function parseGroupsClaim(value: unknown): string[] {
  let names: unknown[];
  if (Array.isArray(value)) names = value;
  else if (typeof value === 'string') names = namesInString(value.trim());
  else names = [];
  const groups = names
    .filter((name): name is string => typeof name === 'string')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  return [...new Set(groups)];
}

function namesInString(text: string): unknown[] {
  if (text.startsWith('["')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // Not JSON after all (e.g. `["a" b]`): read it as the bracketed list below.
    }
  }
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner
    .split(/[\s,]+/)
    .map((token) => token.replace(WRAPPING_QUOTES, '$2'))
    .filter((token) => token.length > 0);
}

/**
 * The claims a staff route needs, as the JWT authorizer passes them (every value may arrive as a string). Only
 * access tokens are taken: an ID token is for the console itself, carries no scopes and cannot be revoked.
 */
const staffClaimsSchema = z.looseObject({
  sub: z.string().trim().min(1, 'names no subject (sub)'),
  token_use: z.literal('access', 'is not an access token (token_use)'),
  'cognito:groups': z.unknown().optional(),
});

export type StaffClaimsReading =
  | { ok: true; principal: StaffPrincipal; ignoredDistrictGroups: string[] }
  | { ok: false; problems: string[] };

/**
 * Reads a verified token's claims into a principal. Roles come from the `admin` and `staff` groups; districts
 * from `district:<code>` groups, trusted only for codes the utility's config has (others are returned as
 * ignored, for the caller to log). Other groups carry no rights here.
 */
export function readStaffClaims(claims: unknown, knownDistricts: readonly string[]): StaffClaimsReading {
  const parsed = staffClaimsSchema.safeParse(claims);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'claims'} ${issue.message}`),
    };
  }
  const groups = parseGroupsClaim(parsed.data['cognito:groups']);
  const roles = STAFF_ROLES.filter((role) => groups.includes(role));
  const known = new Set(knownDistricts);
  const districtGroups = groups.filter((group) => group.startsWith(DISTRICT_GROUP_PREFIX));
  const districts: string[] = [];
  const ignoredDistrictGroups: string[] = [];
  for (const group of districtGroups) {
    const code = group.slice(DISTRICT_GROUP_PREFIX.length);
    if (known.has(code)) districts.push(code);
    else ignoredDistrictGroups.push(group);
  }
  return {
    ok: true,
    principal: {
      subject: parsed.data.sub,
      roles,
      districts,
      allDistricts: roles.includes('admin') || districtGroups.length === 0,
    },
    ignoredDistrictGroups,
  };
}

/**
 * Whether a staff member may see what belongs to a district: an admin sees every district, staff in no district
 * group too (the utility's own clerks), a member of `district:<code>` groups only those districts.
 */
export function canSeeDistrict(principal: StaffPrincipal, district: string): boolean {
  return principal.allDistricts || principal.districts.includes(district);
}
