// Staff principals from a staff token's claims: groups in every shape they arrive in, roles, districts, visibility.
import { describe, expect, it } from 'vitest';
import { authorizeStaff, staffProfile } from '#app/staff-access';
import { loadUtilityConfig } from '#config/load';
import { AppError } from '#domain/errors';
import { canSeeDistrict, parseGroupsClaim, readStaffClaims, type StaffPrincipal } from '#domain/staff';

const SEOUL = loadUtilityConfig('seoul-water');
const KNOWN = ['11110', '11140', '11440'];

/** The claims API Gateway HTTP API's JWT authorizer passes for a Cognito access token with these groups. */
const claimsWith = (groups: unknown) => ({
  sub: 'b4f8a2c0-7d1e-4b5a-9c3f-2e6d8a1b0c9d',
  token_use: 'access',
  client_id: 'console-client',
  exp: '1795431600',
  'cognito:groups': groups,
});

const principalOf = (groups: unknown): StaffPrincipal => {
  const reading = readStaffClaims(claimsWith(groups), KNOWN);
  if (!reading.ok) throw new Error(reading.problems.join('; '));
  return reading.principal;
};

describe('the cognito:groups claim', () => {
  it('is read from the JSON array the token itself carries', () => {
    expect(parseGroupsClaim(['admin', 'district:11110'])).toEqual(['admin', 'district:11110']);
  });

  // API Gateway HTTP API flattens a list claim into one string, brackets and spaces, before Lambda sees it.
  it('is read from the "[a b]" string the HTTP API JWT authorizer makes of it', () => {
    expect(parseGroupsClaim('[staff district:11110 district:11440]')).toEqual([
      'staff',
      'district:11110',
      'district:11440',
    ]);
    expect(parseGroupsClaim('[admin]')).toEqual(['admin']);
    expect(parseGroupsClaim('[]')).toEqual([]);
  });

  it('is read from a comma-separated string (a REST API authorizer) or a JSON array in a string', () => {
    expect(parseGroupsClaim('staff,district:11110')).toEqual(['staff', 'district:11110']);
    expect(parseGroupsClaim('[staff, district:11110]')).toEqual(['staff', 'district:11110']);
    expect(parseGroupsClaim('["staff","district:11110"]')).toEqual(['staff', 'district:11110']);
    expect(parseGroupsClaim('staff')).toEqual(['staff']);
  });

  it('drops blanks, duplicates and anything that is not a name', () => {
    expect(parseGroupsClaim(['staff', ' staff ', '', 7, null])).toEqual(['staff']);
    expect(parseGroupsClaim('  [ staff   staff ] ')).toEqual(['staff']);
    for (const nothing of [undefined, null, '', '   ', 42, {}, true]) {
      expect(parseGroupsClaim(nothing)).toEqual([]);
    }
  });
});

describe('a staff principal', () => {
  it('takes its roles from the admin and staff groups, in both claim shapes alike', () => {
    expect(principalOf(['admin'])).toEqual({
      subject: 'b4f8a2c0-7d1e-4b5a-9c3f-2e6d8a1b0c9d',
      roles: ['admin'],
      districts: [],
      allDistricts: true,
    });
    expect(principalOf('[admin staff]')).toEqual(principalOf(['staff', 'admin']));
    expect(principalOf('[staff district:11110]')).toEqual(principalOf(['staff', 'district:11110']));
  });

  it('has no role when the token is in neither group (other groups carry no rights)', () => {
    expect(principalOf('[auditors us-east-1_Abc_Google]').roles).toEqual([]);
    expect(principalOf(undefined).roles).toEqual([]);
  });

  it('is limited to the configured districts its district groups name', () => {
    const clerk = principalOf('[staff district:11110 district:11440]');
    expect(clerk).toMatchObject({ districts: ['11110', '11440'], allDistricts: false });
  });

  // A group for a district the config does not have (mistyped, or the district was merged away) is not trusted.
  it('ignores district groups the config does not have, and reports them', () => {
    const reading = readStaffClaims(claimsWith('[staff district:11110 district:99999]'), KNOWN);
    expect(reading).toMatchObject({
      ok: true,
      principal: { districts: ['11110'], allDistricts: false },
      ignoredDistrictGroups: ['district:99999'],
    });
  });

  // The clerk of a district that left the config must not end up seeing every district instead.
  it('sees no district when all its district groups are unknown, rather than all of them', () => {
    const stranded = principalOf(['staff', 'district:99999']);
    expect(stranded).toMatchObject({ districts: [], allDistricts: false });
    expect(canSeeDistrict(stranded, '11110')).toBe(false);
  });

  it('is not read from claims without a subject, or from an ID token', () => {
    expect(readStaffClaims({ ...claimsWith(['admin']), sub: '' }, KNOWN)).toMatchObject({ ok: false });
    expect(readStaffClaims({ token_use: 'access', 'cognito:groups': ['admin'] }, KNOWN)).toMatchObject({
      ok: false,
    });
    const idToken = readStaffClaims({ ...claimsWith(['admin']), token_use: 'id' }, KNOWN);
    expect(idToken).toEqual({ ok: false, problems: ['token_use is not an access token (token_use)'] });
    expect(readStaffClaims('not claims', KNOWN)).toMatchObject({ ok: false });
  });
});

describe('who sees which district', () => {
  it('an admin sees every district, even when in district groups', () => {
    const admin = principalOf(['admin', 'district:11110']);
    for (const code of KNOWN) expect(canSeeDistrict(admin, code)).toBe(true);
  });

  it('staff in no district group see every district (the utility-wide clerks)', () => {
    const clerk = principalOf(['staff']);
    for (const code of KNOWN) expect(canSeeDistrict(clerk, code)).toBe(true);
  });

  it('a district clerk sees their districts only', () => {
    const clerk = principalOf(['staff', 'district:11140']);
    expect(KNOWN.filter((code) => canSeeDistrict(clerk, code))).toEqual(['11140']);
  });
});

describe('authorizing a staff route', () => {
  const refusal = (claims: unknown) => {
    try {
      authorizeStaff(SEOUL, claims);
    } catch (error) {
      if (error instanceof AppError) return { kind: error.kind, type: error.type };
      throw error;
    }
    return undefined;
  };

  it('is 401 without claims (a route reached without the authorizer) or with unreadable ones', () => {
    expect(refusal(undefined)).toEqual({ kind: 'unauthenticated', type: 'staff-token-required' });
    expect(refusal({ ...claimsWith('[admin]'), token_use: 'id' })).toEqual({
      kind: 'unauthenticated',
      type: 'staff-token-invalid',
    });
  });

  it('is 403 for a token in neither the admin nor the staff group', () => {
    expect(refusal(claimsWith('[district:11110]'))).toEqual({
      kind: 'forbidden',
      type: 'staff-role-required',
    });
  });

  it("shows the staff console the districts a clerk may see, in the config's order", () => {
    const { principal } = authorizeStaff(SEOUL, claimsWith('[staff district:11440 district:11110]'));
    expect(staffProfile(SEOUL, principal).visibleDistricts).toEqual(['11110', '11440']);
    const { principal: admin } = authorizeStaff(SEOUL, claimsWith('[admin]'));
    expect(staffProfile(SEOUL, admin).visibleDistricts).toEqual(SEOUL.districts.map((d) => d.code));
  });
});
