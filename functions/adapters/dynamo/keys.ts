// The one place that builds table keys. Nothing outside the dynamo adapter knows pk/sk.

export const keys = {
  /** An account's profile. Its phones and bills share the partition (one Query per account). */
  account: (accountNumber: string) => ({ pk: `ACCT#${accountNumber}`, sk: 'A#PROFILE' }),
  /** A registered phone; gsi1 finds the accounts a phone is registered on (SMS intake). */
  accountPhone: (accountNumber: string, phone: string) => ({
    pk: `ACCT#${accountNumber}`,
    sk: `A#PHONE#${phone}`,
    gsi1pk: `PHONE#${phone}`,
    gsi1sk: `ACCT#${accountNumber}`,
  }),
  accountPhonePrefix: 'A#PHONE#',
  bill: (accountNumber: string, period: string) => ({ pk: `ACCT#${accountNumber}`, sk: `BILL#${period}` }),
  billPrefix: 'BILL#',
  otp: (accountNumber: string, phone: string) => ({ pk: `OTP#${accountNumber}#${phone}`, sk: 'OTP' }),
  otpSendLog: (phone: string) => ({ pk: `OTPLOG#${phone}`, sk: 'OTPLOG' }),
  accountPartition: (accountNumber: string) => `ACCT#${accountNumber}`,
} as const;

export const ENTITY = {
  account: 'Account',
  accountPhone: 'AccountPhone',
  bill: 'Bill',
  otp: 'Otp',
  otpSendLog: 'OtpSendLog',
} as const;

const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type', 'ttl', 'version']);

/** Drops the table's own attributes so items can be validated as domain objects. */
export function stripInternalKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !INTERNAL.has(name)));
}

/** Epoch seconds, the unit DynamoDB's TTL reads. */
export const ttlSeconds = (epochMs: number) => Math.ceil(epochMs / 1000);
