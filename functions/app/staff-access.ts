// Use cases of staff access: who a staff route's caller is (401/403 otherwise) and what the staff console shows of them.
import { ForbiddenError, UnauthenticatedError } from '#domain/errors';
import { canSeeDistrict, readStaffClaims, type StaffPrincipal } from '#domain/staff';
import type { Deps } from './ports.ts';

export interface StaffAuthorization {
  principal: StaffPrincipal;
  /** `district:<code>` groups naming no district of the config: not trusted, worth a warning in the logs. */
  ignoredDistrictGroups: string[];
}

/**
 * The principal of a staff route's caller from the claims API Gateway's JWT authorizer verified. No claims (the
 * route reached without the authorizer) or unreadable ones are a 401; a token in neither the `admin` nor the
 * `staff` group is a 403.
 */
export function authorizeStaff(config: Deps['config'], claims: unknown): StaffAuthorization {
  if (claims === undefined) {
    throw new UnauthenticatedError(
      'staff-token-required',
      'This request needs a staff access token (Authorization: Bearer ...).',
    );
  }
  const reading = readStaffClaims(
    claims,
    config.districts.map((district) => district.code),
  );
  if (!reading.ok) {
    throw new UnauthenticatedError(
      'staff-token-invalid',
      `The staff token cannot be used here: ${reading.problems.join('; ')}.`,
    );
  }
  if (reading.principal.roles.length === 0) {
    throw new ForbiddenError(
      'staff-role-required',
      'This staff account is in neither the admin nor the staff group.',
    );
  }
  return { principal: reading.principal, ignoredDistrictGroups: reading.ignoredDistrictGroups };
}

export interface StaffProfile extends StaffPrincipal {
  /** The configured districts this staff member may see, in the config's order: the console's district filter. */
  visibleDistricts: string[];
}

export function staffProfile(config: Deps['config'], principal: StaffPrincipal): StaffProfile {
  return {
    ...principal,
    visibleDistricts: config.districts
      .map((district) => district.code)
      .filter((code) => canSeeDistrict(principal, code)),
  };
}
