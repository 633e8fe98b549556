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
import { type CodeDeps, redeemCode, sendCode } from './one-time-codes.ts';
import type { Deps } from './ports.ts';

/** A sign-up nobody verifies is forgotten after a day. */
const PENDING_RETENTION_MS = 24 * 3600_000;

type SubscriptionDeps = CodeDeps & Pick<Deps, 'accounts' | 'subscriptions' | 'optOuts'>;

export interface SignUp {
  accountNumber: string;
  phone: string;
  channel: string;
  language: string;
  households?: number;
  consentVersion: string;
  /** The address the request came from (per-client limits). */
  client: string;
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

/** Checks what both sign-up routes take and builds the pending subscription. */
function pendingSubscription(
  deps: Pick<Deps, 'config' | 'clock'>,
  request: Omit<SignUp, 'client'>,
  addedBy: Subscription['addedBy'],
): Subscription {
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
  const now = deps.clock.now().toISOString();
  return {
    id: randomUUID(),
    accountNumber: request.accountNumber,
    phone,
    channel: channel.data,
    language: request.language,
    households: request.households,
    status: 'pending',
    addedBy,
    createdAt: now,
    consent: { version: request.consentVersion, at: now, source: 'web' },
  };
}

/** Texts the code (or queues a decoy) and stores the pending subscription: the same steps either way. */
async function startSignUp(
  deps: SubscriptionDeps,
  subscription: Subscription,
  deliver: boolean,
  client: string,
): Promise<SignUpAccepted> {
  // The pending subscription is stored once every limit has admitted the request and before its code is queued:
  // a refused request leaves nothing behind, and no code goes out for a sign-up that was not stored.
  const { expiresInSeconds } = await sendCode(
    deps,
    {
      subject: subscriptionCodeSubject(subscription.id),
      accountNumber: subscription.accountNumber,
      phone: subscription.phone,
      client,
      purpose: subscription.addedBy === 'holder' ? 'household' : 'sign-up',
      deliver,
      text: codeText(deps, subscription.language),
    },
    () => deps.subscriptions.createPending(subscription, deps.clock.now().getTime() + PENDING_RETENTION_MS),
  );
  deps.metrics.count('SignUpStarted', { by: subscription.addedBy });
  return {
    id: subscription.id,
    status: 'pending',
    message:
      subscription.addedBy === 'holder'
        ? 'A code has been sent to the phone by SMS: its owner confirms it at POST /subscriptions/{id}/verify.'
        : 'If this phone is registered on the account, a code has been sent to it by SMS: confirm it at POST /subscriptions/{id}/verify.',
    expiresInSeconds,
  };
}

/**
 * The public sign-up: only a phone registered on the account may receive its bill. Any other phone (or an account
 * that does not exist) gets a decoy: the same answer, limits and store calls, and no SMS, so the route tells
 * nobody which phones are registered; its sign-up can never be confirmed, and it is kept under its id alone, on no
 * account's list.
 */
export async function signUp(deps: SubscriptionDeps, request: SignUp): Promise<SignUpAccepted> {
  const subscription = pendingSubscription(deps, request, 'self');
  const registered = await deps.accounts.hasPhone(subscription.accountNumber, subscription.phone);
  return startSignUp(
    deps,
    registered ? subscription : { ...subscription, decoy: true },
    registered,
    request.client,
  );
}

/**
 * The account holder (with the account token) adds another phone, a household member's: any domestic mobile,
 * which still confirms with the code texted to it. Every phone of the account counts against its limit. A phone
 * that has texted STOP gets no code (the holder is answered alike): only its owner can start its notices again.
 */
export async function addHouseholdPhone(deps: SubscriptionDeps, request: SignUp): Promise<SignUpAccepted> {
  const subscription = pendingSubscription(deps, request, 'holder');
  const optedOut = await deps.optOuts.isOptedOut(subscription.phone);
  return startSignUp(deps, subscription, !optedOut, request.client);
}

/**
 * Whether codes for this subscription may really be sent: never for a decoy (a decoy stays one); for a phone the
 * holder added, unless it opted out; else when the phone is registered on the account. The same reads either way.
 */
async function mayReceiveCodes(
  deps: Pick<Deps, 'accounts' | 'optOuts'>,
  subscription: Subscription,
): Promise<boolean> {
  const [registered, optedOut] = await Promise.all([
    deps.accounts.hasPhone(subscription.accountNumber, subscription.phone),
    deps.optOuts.isOptedOut(subscription.phone),
  ]);
  if (subscription.decoy) return false;
  return subscription.addedBy === 'holder' ? !optedOut : registered;
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
  /** Who asked for it: the registered phone itself, or the account holder (a household member's phone). */
  addedBy: Subscription['addedBy'];
  createdAt: string;
  verifiedAt: string | null;
  endedAt: string | null;
  /** Why it ended when neither the subscriber nor the holder ended it (an operators' migration). */
  endedReason: Subscription['endedReason'] | null;
  consent: Subscription['consent'];
}

/** What a subscriber or the holder sees; `registered` says whether its phone is registered on the account. */
function viewOf(s: Subscription, registered: boolean): SubscriptionView {
  return {
    id: s.id,
    accountNumber: s.accountNumber,
    phone: maskPhone(s.phone),
    channel: s.channel,
    language: s.language,
    households: s.households ?? null,
    status: s.status,
    effectiveMonth: s.effectiveMonth ?? null,
    registeredPhone: registered,
    addedBy: s.addedBy,
    createdAt: s.createdAt,
    verifiedAt: s.verifiedAt ?? null,
    endedAt: s.endedAt ?? null,
    endedReason: s.endedReason ?? null,
    consent: s.consent,
  };
}

async function view(deps: Pick<Deps, 'accounts'>, s: Subscription): Promise<SubscriptionView> {
  return viewOf(s, await deps.accounts.hasPhone(s.accountNumber, s.phone));
}

async function load(deps: Pick<Deps, 'subscriptions'>, id: string): Promise<Subscription> {
  const subscription = await deps.subscriptions.get(id);
  if (!subscription) throw new NotFoundError('subscription-not-found', 'There is no such subscription.');
  return subscription;
}

/**
 * Texts a new code to the subscription's phone: to finish a sign-up, or to manage an active one. A decoy sign-up
 * stays a decoy: its phone gets nothing, and the answer is the same.
 */
export async function sendSubscriptionCode(
  deps: SubscriptionDeps,
  id: string,
  client: string,
): Promise<{ expiresInSeconds: number }> {
  const subscription = await load(deps, id);
  if (subscription.status === 'ended') {
    throw new ConflictError('subscription-ended', 'This subscription has ended: sign up again.');
  }
  return sendCode(deps, {
    subject: subscriptionCodeSubject(id),
    accountNumber: subscription.accountNumber,
    phone: subscription.phone,
    client,
    purpose: subscription.addedBy === 'holder' ? 'household' : 'sign-up',
    deliver: await mayReceiveCodes(deps, subscription),
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
  await redeemCode(deps, {
    subject: subscriptionCodeSubject(id),
    accountNumber: subscription.accountNumber,
    phone: subscription.phone,
    code,
  });
  if (subscription.status === 'pending') {
    // Only a real code opens this far; a phone taken off the account since it was sent may not start notices.
    // (A phone the holder added may: confirming its code is its owner's own opt-in, even after a STOP.)
    if (
      subscription.addedBy === 'self' &&
      !(await deps.accounts.hasPhone(subscription.accountNumber, subscription.phone))
    ) {
      throw new AppError(
        'unprocessable',
        'phone-not-registered',
        'This phone is no longer registered on the account: the account holder can add it.',
      );
    }
    const now = deps.clock.now();
    // Its district lists it among the district's subscribers, for the announcements sent there.
    const account = await deps.accounts.get(subscription.accountNumber);
    const next: Subscription = {
      ...subscription,
      status: 'active',
      verifiedAt: now.toISOString(),
      effectiveMonth: effectiveMonth(now, config.timeZone, config.subscriptions.signupCutoffDay),
      ...(account ? { district: account.district } : {}),
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
        deps.metrics.count('SubscriptionVerified', {});
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
  deps: Pick<Deps, 'subscriptions' | 'accounts' | 'clock' | 'metrics'>,
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
    if (await deps.subscriptions.end(next, subscription.status)) {
      subscription = next;
      deps.metrics.count('SubscriptionEnded', { by: 'web' });
    } else subscription = await load(deps, id);
  }
  if (subscription.status !== 'ended') {
    throw new ConflictError('subscription-busy', 'The subscription is changing right now: try again.');
  }
  return view(deps, subscription);
}

export async function listAccountSubscriptions(
  deps: Pick<Deps, 'subscriptions' | 'accounts'>,
  request: { accountNumber: string; limit: number; cursor?: string },
): Promise<{ accountNumber: string; items: SubscriptionView[]; nextCursor: string | null }> {
  // The account's phones are read once for the page, not once a subscription.
  const [page, account] = await Promise.all([
    deps.subscriptions.listByAccount(request.accountNumber, { limit: request.limit, cursor: request.cursor }),
    deps.accounts.get(request.accountNumber),
  ]);
  const registered = new Set(account?.phones ?? []);
  return {
    accountNumber: request.accountNumber,
    items: page.items.map((s) => viewOf(s, registered.has(s.phone))),
    nextCursor: page.cursor ?? null,
  };
}
