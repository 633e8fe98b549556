// Use cases: sign up for bill notices, verify the phone, look at and cancel subscriptions.
import { randomUUID } from 'node:crypto';
import { primaryLanguage } from '#config/schema';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#domain/errors';
import { subscriptionCodeText } from '#domain/messages';
import { isDomestic, isMobile, maskPhone } from '#domain/phone';
import {
  channelSchema,
  effectiveMonth,
  fanOutShard,
  type Subscription,
  subscriptionCodeSubject,
} from '#domain/subscription';
import type { TokenClaims } from '#domain/token';
import { checkAccountNumber } from './account-number.ts';
import { grantToken, phoneOrThrow } from './auth.ts';
import { redeemCode, sendCode } from './one-time-codes.ts';
import type { Deps } from './ports.ts';

/** A sign-up nobody verifies is forgotten after a day. */
const PENDING_RETENTION_MS = 24 * 3600_000;

type SubscriptionDeps = Pick<
  Deps,
  'config' | 'clock' | 'accounts' | 'subscriptions' | 'otps' | 'sms' | 'keys' | 'optOuts'
>;

export interface SignUp {
  accountNumber: string;
  phone: string;
  channel: string;
  language: string;
  households?: number;
  consentVersion: string;
}

export interface SignUpAccepted {
  id: string;
  status: 'pending';
  message: string;
  expiresInSeconds: number;
}

function invalid(type: string, field: string, message: string): ValidationError {
  return new ValidationError(message, [{ field, message }], type);
}

function codeText(deps: Pick<Deps, 'config'>, language: string) {
  const utilityName =
    deps.config.name[language] ?? deps.config.name[primaryLanguage(deps.config)] ?? deps.config.id;
  return (code: string) =>
    subscriptionCodeText(language, { utilityName, code, minutes: deps.config.auth.otpTtlMinutes });
}

/**
 * Checks the request, stores a pending subscription and texts a code to the phone. The answer is
 * the same whether or not the account exists: whether it does, and whether the phone may be added
 * to it, is only said after the phone has proved itself with the code.
 */
export async function signUp(deps: SubscriptionDeps, request: SignUp): Promise<SignUpAccepted> {
  const { config } = deps;
  checkAccountNumber(config, request.accountNumber, 'body.accountNumber');
  const phone = phoneOrThrow(config, request.phone);
  if (!isDomestic(phone, config.country)) {
    throw invalid(
      'phone-not-domestic',
      'body.phone',
      `${request.phone} is not a ${config.country} number: notices go to mobiles of the utility's country.`,
    );
  }
  if (!isMobile(phone)) {
    throw invalid(
      'phone-not-mobile',
      'body.phone',
      `${request.phone} is not a mobile number: notices need one that takes SMS.`,
    );
  }
  const channel = channelSchema.safeParse(request.channel);
  if (!channel.success) {
    throw invalid(
      'unsupported-channel',
      'body.channel',
      `"${request.channel}" is not a channel: use "messenger" or "sms".`,
    );
  }
  if (channel.data === 'messenger' && config.channels.messenger.provider === 'none') {
    throw invalid('unsupported-channel', 'body.channel', `${config.id} sends notices by SMS only.`);
  }
  if (!config.languages.includes(request.language)) {
    throw invalid(
      'unsupported-language',
      'body.language',
      `"${request.language}" is not offered: choose one of ${config.languages.join(', ')}.`,
    );
  }
  if (request.households !== undefined && request.households < 1) {
    throw invalid('invalid-households', 'body.households', 'households must be at least 1.');
  }
  if (request.consentVersion !== config.subscriptions.consent.version) {
    throw invalid(
      'consent-outdated',
      'body.consentVersion',
      `The consent text has changed: show version ${config.subscriptions.consent.version} and send that version.`,
    );
  }
  const now = deps.clock.now();
  const id = randomUUID();
  const subscription: Subscription = {
    id,
    accountNumber: request.accountNumber,
    phone,
    channel: channel.data,
    language: request.language,
    ...(request.households !== undefined ? { households: request.households } : {}),
    status: 'pending',
    createdAt: now.toISOString(),
    consent: { version: request.consentVersion, at: now.toISOString(), source: 'web' },
  };
  // As for bill lookup: an account that does not exist gets a decoy code, so the answer, the
  // limit and the stored records are the same either way, and no SMS goes out for it.
  const exists = (await deps.accounts.existing([request.accountNumber])).size > 0;
  // The code counts against the phone's limit first, so a refused request leaves nothing behind.
  const { expiresInSeconds } = await sendCode(deps, {
    subject: subscriptionCodeSubject(id),
    phone,
    deliver: exists,
    text: codeText(deps, request.language),
  });
  await deps.subscriptions.createPending(subscription, now.getTime() + PENDING_RETENTION_MS);
  return {
    id,
    status: 'pending',
    message:
      'If the account exists, a code has been sent to the phone by SMS: confirm it at POST /subscriptions/{id}/verify.',
    expiresInSeconds,
  };
}

export interface SubscriptionView {
  id: string;
  accountNumber: string;
  phone: string;
  channel: Subscription['channel'];
  language: string;
  households: number | null;
  status: Subscription['status'];
  /** The first billing period whose notice it receives (null until verified). */
  effectiveMonth: string | null;
  /** Whether the phone is one the account holder registered with the utility. */
  registeredPhone: boolean;
  createdAt: string;
  verifiedAt: string | null;
  endedAt: string | null;
  consent: Subscription['consent'];
}

async function view(deps: Pick<Deps, 'accounts'>, s: Subscription): Promise<SubscriptionView> {
  return {
    id: s.id,
    accountNumber: s.accountNumber,
    phone: maskPhone(s.phone),
    channel: s.channel,
    language: s.language,
    households: s.households ?? null,
    status: s.status,
    effectiveMonth: s.effectiveMonth ?? null,
    registeredPhone: await deps.accounts.hasPhone(s.accountNumber, s.phone),
    createdAt: s.createdAt,
    verifiedAt: s.verifiedAt ?? null,
    endedAt: s.endedAt ?? null,
    consent: s.consent,
  };
}

async function load(deps: Pick<Deps, 'subscriptions'>, id: string): Promise<Subscription> {
  const subscription = await deps.subscriptions.get(id);
  if (!subscription) throw new NotFoundError('subscription-not-found', 'There is no such subscription.');
  return subscription;
}

/** Texts a new code to the subscription's phone: to finish a sign-up, or to manage an active one. */
export async function sendSubscriptionCode(
  deps: SubscriptionDeps,
  id: string,
): Promise<{ expiresInSeconds: number }> {
  const subscription = await load(deps, id);
  if (subscription.status === 'ended') {
    throw new ConflictError('subscription-ended', 'This subscription has ended: sign up again.');
  }
  return sendCode(deps, {
    subject: subscriptionCodeSubject(id),
    phone: subscription.phone,
    deliver: true,
    text: codeText(deps, subscription.language),
  });
}

export interface Verified {
  subscription: SubscriptionView;
  /** A token for this subscription alone (GET/DELETE /subscriptions/{id}). */
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Confirms the code. A pending subscription becomes active, from this month's bill if confirmed on
 * or before the cutoff day (the utility's local date), else from next month's; at most one active
 * subscription per (account, phone) and N phones per account, enforced atomically.
 */
export async function verifySubscription(
  deps: SubscriptionDeps,
  id: string,
  code: string,
): Promise<Verified> {
  const { config } = deps;
  let subscription = await load(deps, id);
  if (subscription.status === 'ended') {
    throw new ConflictError('subscription-ended', 'This subscription has ended: sign up again.');
  }
  await redeemCode(deps, { subject: subscriptionCodeSubject(id), phone: subscription.phone, code });
  if (subscription.status === 'pending') {
    if ((await deps.accounts.existing([subscription.accountNumber])).size === 0) {
      throw new AppError('unprocessable', 'account-not-found', 'There is no account with this number.');
    }
    const now = deps.clock.now();
    const next: Subscription = {
      ...subscription,
      status: 'active',
      verifiedAt: now.toISOString(),
      effectiveMonth: effectiveMonth(now, config.timeZone, config.subscriptions.signupCutoffDay),
    };
    const result = await deps.subscriptions.activate(next, {
      from: 'pending',
      maxPhones: config.subscriptions.maxPhonesPerAccount,
      shard: fanOutShard(id, config.subscriptions.fanOutShards),
    });
    switch (result) {
      case 'duplicate':
        throw new ConflictError('subscription-exists', 'This phone already receives this account’s notices.');
      case 'too-many-phones':
        throw new ConflictError(
          'too-many-phones',
          `At most ${config.subscriptions.maxPhonesPerAccount} phones can receive one account’s notices.`,
        );
      case 'conflict':
        subscription = await load(deps, id);
        break;
      case 'activated':
        subscription = next;
        // Confirming a new sign-up is a fresh opt-in, even after a STOP from this phone.
        if (await deps.optOuts.isOptedOut(next.phone)) {
          await deps.optOuts.record({
            phone: next.phone,
            optedOut: false,
            at: now.toISOString(),
            channel: 'web',
            keyword: 'sign-up',
            messageId: `subscription:${id}`,
          });
        }
    }
  }
  return { subscription: await view(deps, subscription), ...grantToken(deps, 'subscription', id) };
}

/** The account holder (account token) or the subscriber (the subscription's own token) may see it. */
function authorize(subscription: Subscription, claims: TokenClaims | undefined): void {
  const allowed =
    (claims?.scope === 'account' && claims.sub === subscription.accountNumber) ||
    (claims?.scope === 'subscription' && claims.sub === subscription.id);
  if (!allowed)
    throw new ForbiddenError('forbidden-subscription', 'This token does not open this subscription.');
}

export async function getSubscription(
  deps: Pick<Deps, 'subscriptions' | 'accounts'>,
  id: string,
  claims: TokenClaims | undefined,
): Promise<SubscriptionView> {
  const subscription = await load(deps, id);
  authorize(subscription, claims);
  return view(deps, subscription);
}

export async function cancelSubscription(
  deps: Pick<Deps, 'subscriptions' | 'accounts' | 'clock'>,
  id: string,
  claims: TokenClaims | undefined,
): Promise<SubscriptionView> {
  let subscription = await load(deps, id);
  authorize(subscription, claims);
  // A verify or a STOP may change it between reading and writing: try again from what it is now.
  for (let attempt = 0; subscription.status !== 'ended' && attempt < 5; attempt++) {
    const next: Subscription = {
      ...subscription,
      status: 'ended',
      endedAt: deps.clock.now().toISOString(),
      endedBy: 'web',
    };
    subscription = (await deps.subscriptions.end(next, subscription.status)) ? next : await load(deps, id);
  }
  if (subscription.status !== 'ended') {
    throw new ConflictError('subscription-busy', 'The subscription is changing right now: try again.');
  }
  return view(deps, subscription);
}

export async function listAccountSubscriptions(
  deps: Pick<Deps, 'subscriptions' | 'accounts'>,
  accountNumber: string,
): Promise<{ accountNumber: string; items: SubscriptionView[] }> {
  const subscriptions = await deps.subscriptions.listByAccount(accountNumber);
  return { accountNumber, items: await Promise.all(subscriptions.map((s) => view(deps, s))) };
}
