// End User Messaging's guard against SMS pumping: a protect configuration that lets SMS reach the utility's country only.
import { type RemovalPolicy, Tags } from 'aws-cdk-lib';
import { CfnProtectConfiguration } from 'aws-cdk-lib/aws-smsvoice';
import { Construct } from 'constructs';
import { type CountryCode, getCountries } from 'libphonenumber-js/max';
import type { UtilityConfig } from '#config/schema';

/**
 * End User Messaging keeps at most 300 countries in one rule set (UpdateProtectConfigurationCountryRuleSet,
 * GetProtectConfigurationCountryRuleSet: "Maximum number of 300 items").
 */
export const MAX_COUNTRY_RULES = 300;

export type CountryRule = CfnProtectConfiguration.CountryRuleProperty;

/**
 * One rule per country libphonenumber-js knows a calling code for (every place a phone number can be in): ALLOW for
 * the utility's country, BLOCK for each of the others. All of them, not only the blocks: a country a rule set leaves
 * out is allowed, and End User Messaging returns every country, so a shorter list would also show as drift.
 */
export function smsCountryRules(country: string): CountryRule[] {
  const countries: readonly CountryCode[] = getCountries();
  if (!countries.includes(country as CountryCode)) {
    throw new Error(
      `config.country ${country} is no country libphonenumber-js knows: no SMS rule can allow it`,
    );
  }
  if (countries.length > MAX_COUNTRY_RULES) {
    // One resource holds one list per capability; a longer one would need End User Messaging to take more.
    throw new Error(
      `${countries.length} countries do not fit End User Messaging's ${MAX_COUNTRY_RULES} rules per capability`,
    );
  }
  return [...countries].sort().map((code) => ({
    countryCode: code,
    protectStatus: code === country ? 'ALLOW' : 'BLOCK',
  }));
}

export interface SmsProtectConfigurationProps {
  config: UtilityConfig;
  /** Deletion protection on the configuration itself, and retained when the stack goes. */
  deletionProtection: boolean;
  removalPolicy: RemovalPolicy;
}

/**
 * The protect configuration of one utility. SendTextMessage names it on every SMS (ProtectConfigurationId); SNS
 * and Pinpoint cannot name one, so for them it applies only once an operator makes it the account default
 * (docs/operations.md), which CloudFormation cannot do.
 */
export class SmsProtectConfiguration extends Construct {
  readonly resource: CfnProtectConfiguration;
  /** What SendTextMessage's ProtectConfigurationId takes. */
  readonly protectConfigurationId: string;

  constructor(scope: Construct, id: string, props: SmsProtectConfigurationProps) {
    super(scope, id);
    // Only SMS is ruled: the utility sends no voice or MMS, and as an account default this configuration would
    // also govern what other applications of the account send that way.
    this.resource = new CfnProtectConfiguration(this, 'Resource', {
      countryRuleSet: { sms: smsCountryRules(props.config.country) },
      deletionProtectionEnabled: props.deletionProtection,
    });
    // End User Messaging shows the Name tag as the configuration's name.
    Tags.of(this.resource).add('Name', `utilitydesk-${props.config.id}-sms`);
    this.resource.applyRemovalPolicy(props.removalPolicy);
    this.protectConfigurationId = this.resource.attrProtectConfigurationId;
  }
}
