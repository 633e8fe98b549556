// The staff user pool: who may call the /admin/ routes, their roles and districts as groups, and the console's client.
import { Aws, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { UtilityConfig } from '#config/schema';
import { DISTRICT_GROUP_PREFIX, STAFF_ROLES, type StaffRole } from '#domain/staff';

export interface StaffUserPoolProps {
  config: UtilityConfig;
  deletionProtection: boolean;
  removalPolicy: RemovalPolicy;
}

const ROLE_DESCRIPTIONS: Record<StaffRole, string> = {
  admin: 'Administrators: every admin route and every district',
  staff: 'Staff: the admin routes; every district unless also in district:<code> groups',
};

/** A token lives as long as Cognito's default; the console refreshes it within a working day. */
export const STAFF_TOKEN_VALIDITY = Duration.hours(1);

/** The Cognito prefix domain of the staff sign-in: <prefix>.auth.<region>.amazoncognito.com. */
export function signInDomainPrefix(config: UtilityConfig): string {
  const configured = config.portal?.signInDomainPrefix;
  if (configured) return configured;
  // Cognito prefixes are global per region: the account id keeps two deployments of one utility apart.
  const prefix = `utilitydesk-${config.id}-`;
  if (/aws|amazon|cognito/.test(config.id) || prefix.length + 12 > 63) {
    throw new Error(
      `Set portal.signInDomainPrefix: the utility id ${config.id} cannot make a Cognito domain prefix (63 characters, no "aws", "amazon" or "cognito")`,
    );
  }
  return `${prefix}${Aws.ACCOUNT_ID}`;
}

/**
 * One user pool per deployment, for the utility's staff only: operators create every user (no self sign-up), each
 * signs in with an e-mail address, a strong password and a TOTP second factor, and Cognito's threat protection
 * blocks risky sign-ins (the Plus plan: a utility has tens of staff, so its per-user price is small).
 *
 * Groups: `admin` and `staff` give the roles; one `district:<code>` group per district of the config limits a
 * clerk to those districts. The district groups are made here from the config, not by hand, so a group name
 * can never be mistyped and the groups follow the districts on every deploy (a district dropped from the config
 * takes its group along). Routes trust a district group only for a district the config has, in any case.
 */
export class StaffUserPool extends Construct {
  readonly userPool: UserPool;
  /** The hosted sign-in (a Cognito prefix domain); the console's OAuth client lives with the portal (lib/portal.ts). */
  readonly signInDomain: UserPoolDomain;
  /**
   * The console's client of the versions before the portal (SRP sign-in, no OAuth). A deployed API stack of those
   * versions imports its id; it stays, with that export, for one release so the upgrade can deploy this stack
   * first (docs/operations.md, "Upgrading to the web portal"). Nothing of this version uses it.
   */
  readonly previousConsoleClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: StaffUserPoolProps) {
    super(scope, id);
    const { config } = props;
    this.userPool = new UserPool(this, 'Pool', {
      userPoolName: `utilitydesk-${config.id}-staff`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 12,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      // TOTP only: SMS codes would need an SMS role and a spend of their own, and can be intercepted.
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });

    const groups: Array<{ id: string; name: string; description: string }> = [
      ...STAFF_ROLES.map((role) => ({
        id: `Role-${role}`,
        name: role,
        description: ROLE_DESCRIPTIONS[role],
      })),
      // Named by code, not position: a district added or removed leaves the other groups (and members) alone.
      ...config.districts.map((district) => ({
        id: `District-${district.code.replaceAll('/', '_')}`,
        name: `${DISTRICT_GROUP_PREFIX}${district.code}`,
        description: `Staff of ${district.name.en ?? district.code} (${district.code}) only`,
      })),
    ];
    for (const group of groups) {
      new UserPoolGroup(this, group.id, {
        userPool: this.userPool,
        groupName: group.name,
        description: group.description,
      });
    }

    this.previousConsoleClient = this.userPool.addClient('StaffConsole', {
      userPoolClientName: 'staff-console',
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: STAFF_TOKEN_VALIDITY,
      idTokenValidity: STAFF_TOKEN_VALIDITY,
      refreshTokenValidity: Duration.hours(12),
    });

    // Kept with the pool: the prefix is reserved in the region, and the console's address may come and go.
    this.signInDomain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: signInDomainPrefix(config) },
    });
  }
}
