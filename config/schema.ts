// The utility configuration: everything that differs between two utilities, checked at load.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { INBOUND_LEDGER_RETENTION_DAYS } from '#domain/gateway-time';
import { deliveryFailureReasonSchema } from '#domain/notice-delivery';
import {
  type ComplaintsConfig,
  complaintsConfigSchema,
  type DistrictArea,
  districtComplaintFields,
} from './complaints.ts';
import { languageCode, localizedText } from './localized-text.ts';
import { messengerChannel } from './messenger.ts';
import {
  checkTariffConfig,
  holidaysSchema,
  reductionConfigSchema,
  roundingSchema,
  tariffComponentSchema,
} from './tariffs.ts';

const dayOfMonth = z.number().int().min(1).max(28);
/** A local time of day, "HH:MM" on a 24-hour clock. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (24-hour)');

/** At most `max` in any fixed window of `windowMinutes`. */
const rateLimit = z.strictObject({
  max: z.number().int().min(1).max(1_000_000),
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});

export const meterKindSchema = z.enum(['single', 'two-tariff', 'three-tariff']);

const meterKindConfig = z.strictObject({
  kind: meterKindSchema,
  unit: z.enum(['m3', 'kWh']),
  /** Register names in the order readings are given (day first for two-tariff meters). */
  registers: z
    .array(z.string().regex(/^[a-z]+$/))
    .min(1)
    .max(3),
  /** How many digits the meter shows before it rolls over to zero. */
  digits: z.number().int().min(3).max(9),
});

/**
 * What a bill uses when a meter has no reading for its window (docs/architecture.md, Estimates): the average of
 * the last actual periods for at most maxEstimatedPeriods bills, then the normative ("average-then-normative");
 * the average for as long as readings are missing ("average"); or the normative at once ("normative").
 */
const estimationConfig = z.strictObject({
  policy: z.enum(['average-then-normative', 'average', 'normative']),
  /** Months of actual history the average is taken over (the most recent ones). */
  averageMonths: z.number().int().min(1).max(24),
  /** Consecutive bills estimated on the average before the normative (policy average-then-normative). */
  maxEstimatedPeriods: z.number().int().min(1).max(24),
  /** Fewer months of actual history than this give no average: the normative at once. */
  minimumHistoryMonths: z.number().int().min(1).max(24),
  /**
   * Normative consumption per household and month, per meter kind and register, in the meter's unit (Tyumen:
   * single total 180 kWh; two-tariff day 120, night 60). Every meter kind needs one unless the policy is "average".
   */
  normative: z.partialRecord(meterKindSchema, z.record(z.string(), z.number().nonnegative())).default({}),
});

/**
 * Estimation settings that only make sense together: a normative for every register of every meter kind wherever
 * the policy may fall back to it, none for a kind or register the utility does not have, and a minimum history the
 * average can reach.
 */
function checkEstimation(
  config: {
    estimation: z.infer<typeof estimationConfig>;
    meterKinds: Array<z.infer<typeof meterKindConfig>>;
  },
  ctx: z.RefinementCtx,
): void {
  const { estimation, meterKinds } = config;
  const path = ['estimation', 'normative'];
  if (estimation.minimumHistoryMonths > estimation.averageMonths) {
    ctx.addIssue({
      code: 'custom',
      path: ['estimation', 'minimumHistoryMonths'],
      message: `more than averageMonths (${estimation.averageMonths}): no average could ever be taken`,
    });
  }
  for (const kind of Object.keys(estimation.normative)) {
    if (!meterKinds.some((m) => m.kind === kind)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, kind],
        message: `"${kind}" is no configured meter kind`,
      });
    }
  }
  for (const meterKind of meterKinds) {
    const normative = estimation.normative[meterKind.kind];
    if (!normative) {
      if (estimation.policy !== 'average') {
        ctx.addIssue({
          code: 'custom',
          path: [...path, meterKind.kind],
          message: `policy "${estimation.policy}" needs a normative for meter kind "${meterKind.kind}" (${meterKind.registers.join(', ')})`,
        });
      }
      continue;
    }
    for (const register of meterKind.registers) {
      if (normative[register] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, meterKind.kind, register],
          message: `meter kind "${meterKind.kind}" has register "${register}" but no normative for it`,
        });
      }
    }
    for (const register of Object.keys(normative)) {
      if (!meterKind.registers.includes(register)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, meterKind.kind, register],
          message: `"${register}" is no register of meter kind "${meterKind.kind}"`,
        });
      }
    }
  }
}

const smsOutbound = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('end-user-messaging'),
    /** Phone number, sender ID or pool ARN registered in AWS End User Messaging SMS. */
    originationIdentity: z.string().min(1),
    configurationSet: z.string().optional(),
    /** The End User Messaging opt-out list consulted before a notice goes out. */
    optOutListName: z.string().min(1).default('Default'),
  }),
  z.strictObject({
    provider: z.literal('sns'),
    /** Alphanumeric sender ID, where the destination country supports one. */
    senderId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,11}$/, 'up to 11 letters and digits')
      .optional(),
    /** A number registered for SNS SMS in this account (E.164). */
    originationNumber: z
      .string()
      .regex(/^\+[1-9]\d{4,14}$/, 'an E.164 number such as "+79037672060"')
      .optional(),
    /** Codes and replies are transactional: SNS routes those for reliability rather than cost. */
    smsType: z.enum(['Transactional', 'Promotional']).default('Transactional'),
  }),
  z.strictObject({
    provider: z.literal('pinpoint'),
    /** The Amazon Pinpoint project (application) whose SMS channel sends. */
    applicationId: z.string().regex(/^[a-f0-9]{32}$/, 'a Pinpoint project id (32 hex digits)'),
    originationNumber: z
      .string()
      .regex(/^\+[1-9]\d{4,14}$/, 'an E.164 number such as "+79037672060"')
      .optional(),
    senderId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,11}$/, 'up to 11 letters and digits')
      .optional(),
    /** The End User Messaging opt-out list Pinpoint's SMS channel records STOPs in. */
    optOutListName: z.string().min(1).default('Default'),
  }),
  z.strictObject({
    provider: z.literal('gateway'),
    /** The id of an inboundGateways entry that has a `send` profile: the same aggregator and secret. */
    gateway: z.string().min(1),
  }),
]);

/** A domestic aggregator's HTTP send API: where to POST, how to name the fields, where its message id is. */
const gatewaySend = z.strictObject({
  /** HTTPS; plain HTTP only to this machine (a local stand-in of the aggregator). */
  url: z.url({ protocol: /^https?$/ }).refine((url) => {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' || hostname === '127.0.0.1' || hostname === 'localhost';
  }, 'must be https (http only to 127.0.0.1 or localhost)'),
  format: z.enum(['json', 'form']),
  /** The sender number or ID the aggregator registered for the utility. */
  from: z.string().min(1),
  /** Where each part goes in the request (dotted paths build nested JSON objects). */
  fields: z.strictObject({
    to: z.string().min(1),
    from: z.string().min(1),
    body: z.string().min(1),
    /** Our id for the message, which the aggregator may use to drop a retried request. */
    reference: z.string().min(1).optional(),
  }),
  /**
   * How the recipient is written: "+821012345678" (e164), "821012345678" (e164-digits) or the national
   * digits with the trunk prefix, "01012345678" (national).
   */
  toFormat: z.enum(['e164', 'e164-digits', 'national']).default('e164'),
  /** Fixed fields every request carries, e.g. {"msg_type": "AUTO"}. */
  constants: z.record(z.string().min(1), z.string()).default({}),
  /** Where the aggregator's message id is in its JSON answer; without it, our reference is the id. */
  responseMessageId: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(500).max(30_000).default(5_000),
  /**
   * The request header that carries the message's idempotency key (a notice's id, the same on every attempt),
   * for an aggregator that drops a request whose key it has seen; absent: no such header.
   */
  idempotencyHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/, 'an HTTP header name')
    .optional(),
});

const LEDGER_RETENTION_MINUTES = INBOUND_LEDGER_RETENTION_DAYS * 24 * 60;

/** How far the gateway's send times are trusted (see gatewaySentAt in functions/domain/gateway-time.ts). */
const gatewayTimestamps = z
  .strictObject({
    /** A send time up to this long before our receipt orders the message; any other gives the receipt time. */
    skewMinutes: z.number().int().min(0).max(60).default(5),
    /** A delivery sent longer ago than this is refused (422 stale-gateway-message). */
    replayWindowMinutes: z
      .number()
      .int()
      .min(1)
      .default(24 * 60),
  })
  .refine((t) => t.replayWindowMinutes > t.skewMinutes, {
    message: 'replayWindowMinutes must be longer than skewMinutes',
  })
  // A replay inside the window must still find its message id in the inbound ledger to be dropped.
  .refine((t) => t.replayWindowMinutes + t.skewMinutes < LEDGER_RETENTION_MINUTES, {
    message: `replayWindowMinutes plus skewMinutes must be under ${LEDGER_RETENTION_MINUTES} (the ${INBOUND_LEDGER_RETENTION_DAYS} days the inbound ledger remembers a message id)`,
  });

/**
 * The aggregator's delivery reports for the SMS it sent for us, posted to POST /sms/delivery-reports/{id} and signed
 * like its inbound SMS: where each part is in its payload and what its statuses and reason codes mean.
 */
const gatewayDeliveryReports = z.strictObject({
  fields: z
    .strictObject({
      /** Our reference as the send API passed it (a notice's id, or `<id>-sms`): preferred, it needs no lookup. */
      reference: z.string().min(1).optional(),
      /**
       * The aggregator's message id (as its send answer gave it). Mapped without `reference`, every SMS notice
       * also writes a message id -> notice pointer when it is recorded (docs/performance.md).
       */
      messageId: z.string().min(1).optional(),
      status: z.string().min(1),
      /** The aggregator's reason or error code of a failure, looked up in `reasons`. */
      reason: z.string().min(1).optional(),
      /** When the aggregator reported it: dated reports older than the profile's replay window are refused (422). */
      reportedAt: z.string().min(1).optional(),
    })
    .refine((f) => f.reference !== undefined || f.messageId !== undefined, {
      message: 'map "reference" or "messageId": a report must name its message',
    }),
  /** Status values that mean the handset got it. */
  delivered: z.array(z.string().min(1)).min(1),
  /** Status values that mean it failed for good; any other status (accepted, pending) is taken and ignored. */
  failed: z.array(z.string().min(1)).min(1),
  /** The aggregator's reason codes (or, without a reason field, failed statuses) as ours; any other is "unknown". */
  reasons: z.record(z.string().min(1), deliveryFailureReasonSchema).default({}),
});

/** A domestic SMS aggregator that posts inbound SMS to POST /sms/inbound/{id}, signed with an HMAC. */
const inboundGateway = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a slug such as "kr-aggregator"'),
  /** How the gateway encodes its POST body: a JSON object or application/x-www-form-urlencoded. */
  format: z.enum(['json', 'form']),
  signature: z.strictObject({
    /** The request header carrying the signature, e.g. "x-signature". */
    header: z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name'),
    algorithm: z.literal('hmac-sha256'),
    encoding: z.enum(['hex', 'base64']),
    /** Text before the digest in the header, e.g. "sha256=". */
    prefix: z.string().max(20).optional(),
  }),
  /** Where each part of the message is in the gateway's payload (dotted paths into a JSON body). */
  fields: z.strictObject({
    messageId: z.string().min(1),
    from: z.string().min(1),
    to: z.string().min(1),
    body: z.string().min(1),
    sentAt: z.string().min(1).optional(),
  }),
  timestamps: gatewayTimestamps.default({ skewMinutes: 5, replayWindowMinutes: 24 * 60 }),
  /** Present when replies and codes may also leave through this aggregator (outbound provider "gateway"). */
  send: gatewaySend.optional(),
  /** Present when the aggregator reports what became of the SMS it sent for us. */
  deliveryReports: gatewayDeliveryReports.optional(),
});

export const utilityConfigSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]{2,40}$/, 'lower-case letters, digits and dashes'),
    name: localizedText,
    locale: z.string().regex(/^[a-z]{2}-[A-Z]{2}$/, 'a BCP 47 tag such as "ko-KR"'),
    languages: z.array(languageCode).min(1),
    /** ISO 3166 country used to read national phone numbers. */
    country: z.string().regex(/^[A-Z]{2}$/),
    currency: z.string().regex(/^[A-Z]{3}$/),
    timeZone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as "Asia/Seoul"'),
    contactPhone: z.string().min(2),
    /** Account numbers as printed on the bill, with an example for error messages. */
    accountNumber: z.strictObject({ pattern: z.string().min(1), example: z.string().min(1) }),
    /** Number residents text (readings, keywords). */
    smsNumber: z.string().min(2),
    districts: z
      .array(
        z.strictObject({
          code: z.string().min(1),
          name: localizedText,
          officePhone: z.string().min(2),
          ...districtComplaintFields,
        }),
      )
      .min(1),
    meterKinds: z.array(meterKindConfig).min(1),
    billing: z.strictObject({
      /** Months a bill covers: Seoul bills every two months, Tyumen monthly. */
      intervalMonths: z.union([z.literal(1), z.literal(2)]),
      /** Day of the month the bill notice goes out (local time). */
      noticeDay: dayOfMonth,
      /** When a bill is due: a day (or the last day) of the billing month plus monthOffset. */
      due: z.strictObject({
        monthOffset: z.number().int().min(0).max(2),
        day: z.union([dayOfMonth, z.literal('end-of-month')]),
        /** A due date on a weekend or holiday moves to the next business day (Seoul). */
        nextBusinessDay: z.boolean().default(false),
        /** Which days are holidays for nextBusinessDay (docs/tariffs.md). */
        holidays: holidaysSchema.default({ source: 'none', add: [], remove: [] }),
      }),
      lateFeePercent: z.number().min(0).max(100),
      /** Local time (HH:mm) the bill-notice schedule fires on noticeDay. */
      noticeTime: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as HH:mm such as "10:00"')
        .default('10:00'),
      /**
       * The months (1-12) whose notice day has bills to announce, when that is not every month: a utility that
       * bills all its accounts every two months names six months two apart. Absent: every month (Seoul bills half
       * its accounts in odd months and half in even ones, so it has bills every month).
       */
      billingMonths: z.array(z.number().int().min(1).max(12)).min(1).max(12).optional(),
      /**
       * The billing run (billing.engine internal): the day of the month and local time it bills the next period
       * (default: the day after the reading window closes, 01:00), the account index's shards it fans out over, and
       * the accounts one queue message bills.
       */
      run: z
        .strictObject({
          day: dayOfMonth.optional(),
          time: clockTime.default('01:00'),
          shards: z.number().int().min(1).max(256).default(16),
          pageSize: z.number().int().min(10).max(500).default(100),
        })
        .default({ time: '01:00', shards: 16, pageSize: 100 }),
      /** How each charge, reduction and late-fee line is rounded to minor units. */
      rounding: roundingSchema.default({ step: 1, mode: 'half-up' }),
      /**
       * How the late fee grows: all of lateFeePercent the day after the due date ("none"), or prorated by the days
       * of the first month after it and capped at lateFeePercent from then on ("daily-first-month", Seoul).
       */
      lateFeeProration: z.enum(['none', 'daily-first-month']).default('none'),
      /** Days before a bill's due date the due reminder goes to those who have not paid it (at noticeTime). */
      reminderDaysBefore: z.number().int().min(1).max(20).default(3),
      /**
       * Who makes the bills: this product's billing run ("internal"), or the utility's own billing system
       * ("external"), which receives each window's accepted readings as a CSV export and drops its bills as CSV
       * files that are imported with the rules of `ops import bills`.
       */
      engine: z.enum(['internal', 'external']).default('internal'),
    }),
    subscriptions: z.strictObject({
      /** Signed up on or before this day -> notices from this month's bill; later -> next month. */
      signupCutoffDay: dayOfMonth,
      maxPhonesPerAccount: z.number().int().min(1).max(20),
      /** The consent text a resident agrees to when signing up; a new text gets a new version. */
      consent: z.strictObject({ version: z.string().min(1).max(40), text: localizedText }),
      /** Active subscriptions are spread over this many index partitions for the monthly fan-out. */
      fanOutShards: z.number().int().min(1).max(100),
    }),
    readings: z.strictObject({
      window: z.strictObject({ startDay: dayOfMonth, endDay: dayOfMonth }),
      fractions: z.enum(['truncate', 'reject']),
      separators: z.array(z.string().length(1)).min(1),
      /** Who may send an account's readings by SMS: phones registered on it, or any phone. */
      phonePolicy: z.enum(['registered-only', 'any']),
      /** Accept a reading below the previous one when the meter has rolled over past its digits. */
      allowRollover: z.boolean(),
      /** Consumption above this multiple of the monthly average is accepted but flagged (leak?). */
      plausibilityFactor: z.number().min(1).max(100),
      /** The source: no SMS when a reading is accepted; only errors get a reply. */
      replyOnSuccess: z.boolean(),
      /** How to check for a leak, sent when a reading is flagged. */
      leakCheckText: localizedText,
      /**
       * Readings one meter may take in one window; the next is refused. Every reading reads the account's whole
       * history, so this is what bounds a month's share of that read.
       */
      maxPerWindow: z.number().int().min(1).max(100).default(10),
      /**
       * Who reads a meter that does not say (meter.readBy): the resident (texts it in the window, and is reminded
       * when the window opens) or the utility's meter readers (no reminder). Tyumen: resident; Seoul: utility.
       */
      readBy: z.enum(['resident', 'utility']).default('resident'),
    }),
    estimation: estimationConfig,
    /** The priced components of a bill (config/tariffs.ts, docs/tariffs.md). */
    tariffs: z.array(tariffComponentSchema).min(1),
    /** Reductions a bill may carry (codes used in bill imports and account entitlements), with their rules. */
    reductions: z.array(reductionConfigSchema),
    auth: z.strictObject({
      otpTtlMinutes: z.number().int().min(1).max(30),
      otpMaxAttempts: z.number().int().min(1).max(10),
      /** Codes to one phone for one account in the sliding window of otpRateWindowMinutes. */
      otpMaxPerPhone: z.number().int().min(1).max(20),
      /** Codes to one phone for one account in one local day, real or not: bounds what a known pair can cost. */
      otpMaxPerDay: z.number().int().min(1).max(100),
      otpRateWindowMinutes: z.number().int().min(1).max(120),
      tokenTtlMinutes: z.number().int().min(1).max(120),
      /**
       * Rounds of wrong codes one (account, phone) may use up on one local day: past this many times
       * otpMaxAttempts wrong codes in the day, it may ask for no more codes until local midnight. Wrong codes are
       * counted one by one, so asking for a new code before a round is used up saves nothing.
       */
      maxFailedRoundsPerDay: z.number().int().min(1).max(20),
    }),
    /**
     * Limits on everything that makes the utility pay for an SMS or an e-mail a stranger could ask for, counted in
     * the table so they hold across every function instance.
     */
    /** The notice pipeline: when nothing but codes and replies goes out, how fast, and what a message costs. */
    notices: z.strictObject({
      /**
       * Local times between which no notice or announcement is delivered (codes and replies are): they wait and go
       * out from `end`. Korean A2P custom is 21:00-08:00.
       */
      quietHours: z.strictObject({ start: clockTime, end: clockTime }),
      /** What the provider lets the utility send in one second: the sender's concurrency is derived from it. */
      messagesPerSecond: z.number().int().min(1).max(10_000),
      /** Subscriptions read from the recipients index per planner message (one page of one shard). */
      planPageSize: z.number().int().min(10).max(1000).default(100),
      /** The carrier's list prices, in the utility's currency, for the run report's cost estimate. */
      prices: z.strictObject({
        /** One SMS part (GSM-7 153/160 characters, UCS-2 67/70; a Korean SMS up to 90 bytes). */
        smsPart: z.number().nonnegative(),
        /** One Korean LMS (up to 2,000 bytes); absent where carriers have no LMS. */
        lms: z.number().nonnegative().optional(),
        /** One messenger (AlimTalk) message. */
        messenger: z.number().nonnegative().optional(),
      }),
    }),
    limits: z.strictObject({
      /** Requests to the routes that text a code, from one client address (sent or not). */
      clientCodeRequests: rateLimit,
      /** Codes to phones the account holder adds (any number the holder types), per account and local day. */
      householdCodesPerDay: z.number().int().min(1).max(1000),
      /** Code SMS the utility sends in one local day: past it, codes stop until midnight and an alarm goes off. */
      dailyCodeSms: z.number().int().min(1).max(10_000_000),
      /**
       * Confirmation e-mails for readings, per account and per address, in one local day of the utility (a day is
       * what residents and the operators mean by "a day", not a window aligned to the epoch).
       */
      confirmationEmails: z.strictObject({
        perAccountPerDay: z.number().int().min(1).max(1_000_000),
        perAddressPerDay: z.number().int().min(1).max(1_000_000),
      }),
      /** Replies to inbound SMS sent to one phone in one local day: past it, messages are processed unanswered. */
      smsRepliesPerPhonePerDay: z.number().int().min(1).max(1000),
      /**
       * Announcements staff may create in one local day, all staff together: each goes to every subscriber of its
       * districts, so a stolen staff token, or a script gone wrong, costs at most this many sends to them a day.
       */
      announcementsPerDay: z.number().int().min(1).max(1000).default(20),
    }),
    channels: z.strictObject({
      sms: z.strictObject({ outbound: smsOutbound, inboundGateways: z.array(inboundGateway).default([]) }),
      /** Confirmation e-mails (a reading sent with an e-mail address). */
      email: z
        .discriminatedUnion('provider', [
          z.strictObject({
            provider: z.literal('ses'),
            /** A verified SES identity's address, e.g. "readings@utility.example". */
            from: z.email(),
            configurationSet: z.string().min(1).optional(),
          }),
          z.strictObject({ provider: z.literal('none') }),
        ])
        .default({ provider: 'none' }),
      /** Bill notices and announcements by messenger (AlimTalk), falling back to SMS; see config/messenger.ts. */
      messenger: messengerChannel,
    }),
    payments: z
      .strictObject({
        /**
         * How far (minor units) a bill's payments may exceed its amount due; a payment beyond it is refused (a
         * wrong amount or bill is likelier than paying ahead). 0: never more than is owed.
         */
        overpaymentTolerance: z.number().int().min(0).default(0),
      })
      .default({ overpaymentTolerance: 0 }),
    /** Complaint types, the districts' complaints desks and the limits on filing (config/complaints.ts). */
    complaints: complaintsConfigSchema,
    /** The web portal's deployment (lib/portal.ts, docs/operations.md); CloudFront's own domain without it. */
    portal: z
      .strictObject({
        /** The portal's own host name and its ACM certificate, which CloudFront needs in us-east-1. */
        domain: z
          .strictObject({
            name: z
              .string()
              .regex(
                /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
                'a lower-case host name',
              ),
            certificateArn: z
              .string()
              .regex(
                /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
                'an ACM certificate in us-east-1',
              ),
          })
          .optional(),
        /** The staff sign-in's Cognito prefix domain; default utilitydesk-<utility id>-<account id>. */
        signInDomainPrefix: z
          .string()
          .regex(
            /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
            'lower-case letters, digits and inner hyphens, at most 63',
          )
          .refine(
            (prefix) => !/aws|amazon|cognito/.test(prefix),
            'Cognito refuses "aws", "amazon" and "cognito"',
          )
          .optional(),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const primary = config.locale.slice(0, 2);
    if (!config.languages.includes(primary)) {
      ctx.addIssue({ code: 'custom', path: ['languages'], message: `must include "${primary}" from locale` });
    }
    const texts: Array<[Array<string | number>, Record<string, string>]> = [
      [['name'], config.name],
      ...config.districts.map((d, i): [Array<string | number>, Record<string, string>] => [
        ['districts', i, 'name'],
        d.name,
      ]),
      ...config.tariffs.map((t, i): [Array<string | number>, Record<string, string>] => [
        ['tariffs', i, 'label'],
        t.label,
      ]),
      ...config.reductions.map((r, i): [Array<string | number>, Record<string, string>] => [
        ['reductions', i, 'label'],
        r.label,
      ]),
      [['subscriptions', 'consent', 'text'], config.subscriptions.consent.text],
      [['readings', 'leakCheckText'], config.readings.leakCheckText],
    ];
    const messenger = config.channels.messenger;
    if (messenger.provider !== 'none' && messenger.name)
      texts.push([['channels', 'messenger', 'name'], messenger.name]);
    for (const [path, text] of texts) {
      if (!text[primary]) ctx.addIssue({ code: 'custom', path, message: `needs a "${primary}" text` });
    }
    const codes = new Set<string>();
    config.districts.forEach((d, i) => {
      if (codes.has(d.code))
        ctx.addIssue({ code: 'custom', path: ['districts', i, 'code'], message: `duplicate "${d.code}"` });
      codes.add(d.code);
    });
    let accountPattern: RegExp | undefined;
    try {
      accountPattern = new RegExp(`^(?:${config.accountNumber.pattern})$`);
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['accountNumber', 'pattern'],
        message: 'not a regular expression',
      });
    }
    if (accountPattern && !accountPattern.test(config.accountNumber.example)) {
      ctx.addIssue({
        code: 'custom',
        path: ['accountNumber', 'example'],
        message: 'does not match the pattern',
      });
    }
    const gatewayIds = new Set<string>();
    config.channels.sms.inboundGateways.forEach((g, i) => {
      if (gatewayIds.has(g.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', 'sms', 'inboundGateways', i, 'id'],
          message: `duplicate "${g.id}"`,
        });
      }
      gatewayIds.add(g.id);
      if (g.send) {
        const { fields, constants } = g.send;
        const names = [fields.to, fields.from, fields.body, ...(fields.reference ? [fields.reference] : [])];
        names.push(...Object.keys(constants));
        // Two fields on one spot: the same name, or (JSON) one path inside another ("data" and "data.text").
        const clash = names.find((name, j) =>
          names.some(
            (other, k) =>
              k !== j && (other === name || (g.send?.format === 'json' && other.startsWith(`${name}.`))),
          ),
        );
        if (clash) {
          ctx.addIssue({
            code: 'custom',
            path: ['channels', 'sms', 'inboundGateways', i, 'send'],
            message: `two fields are put at "${clash}"`,
          });
        }
      }
    });
    const outbound = config.channels.sms.outbound;
    if (outbound.provider === 'gateway') {
      const gateway = config.channels.sms.inboundGateways.find((g) => g.id === outbound.gateway);
      if (!gateway?.send) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', 'sms', 'outbound', 'gateway'],
          message: gateway
            ? `gateway "${outbound.gateway}" has no "send" profile`
            : `no inboundGateways entry "${outbound.gateway}"`,
        });
      }
    }
    const { startDay, endDay } = config.readings.window;
    if (startDay > endDay) {
      ctx.addIssue({ code: 'custom', path: ['readings', 'window'], message: 'startDay is after endDay' });
    }
    const runDay = config.billing.run.day;
    if (runDay === undefined && endDay >= 28) {
      ctx.addIssue({
        code: 'custom',
        path: ['billing', 'run', 'day'],
        message:
          'the window closes on the 28th: give the billing run a day (February has no 29th every year)',
      });
    }
    if (runDay !== undefined && runDay <= endDay) {
      ctx.addIssue({
        code: 'custom',
        path: ['billing', 'run', 'day'],
        message: `the billing run must come after the reading window closes (day ${endDay})`,
      });
    }
    const billingMonths = config.billing.billingMonths;
    if (billingMonths) {
      const months = [...new Set(billingMonths)].sort((a, b) => a - b);
      const everyOther = months.every((m, i) => i === 0 || m - (months[i - 1] ?? 0) === 2);
      const fits =
        months.length === billingMonths.length &&
        (config.billing.intervalMonths === 1 ? months.length === 12 : months.length === 6 && everyOther);
      if (!fits) {
        ctx.addIssue({
          code: 'custom',
          path: ['billing', 'billingMonths'],
          message:
            config.billing.intervalMonths === 1
              ? 'with intervalMonths 1 every month bills: leave billingMonths out (or list all 12)'
              : 'with intervalMonths 2, six different months two apart, such as [1, 3, 5, 7, 9, 11]',
        });
      }
    }
    checkEstimation(config, ctx);
    checkTariffConfig(config, ctx);
    checkComplaintTexts(config, ctx, primary);
    checkDistrictAreas(config, ctx);
  });

/** Every complaint type's texts have the primary language, and codes are unique. */
function checkComplaintTexts(
  config: { complaints: ComplaintsConfig },
  ctx: z.RefinementCtx,
  primary: string,
) {
  const typeCodes = new Set<string>();
  config.complaints.types.forEach((type, i) => {
    if (typeCodes.has(type.code))
      ctx.addIssue({
        code: 'custom',
        path: ['complaints', 'types', i, 'code'],
        message: `duplicate "${type.code}"`,
      });
    typeCodes.add(type.code);
    const texts: Array<[Array<string | number>, Record<string, string> | undefined]> = [
      [['name'], type.name],
      [['description'], type.description],
      [['department'], type.department],
      [['group'], type.group],
      ...type.attributes.flatMap(
        (a, j): Array<[Array<string | number>, Record<string, string> | undefined]> => [
          [['attributes', j, 'name'], a.name],
          ...(a.values ?? []).map((v, k): [Array<string | number>, Record<string, string>] => [
            ['attributes', j, 'values', k, 'name'],
            v.name,
          ]),
        ],
      ),
    ];
    for (const [path, text] of texts) {
      if (text && !text[primary])
        ctx.addIssue({
          code: 'custom',
          path: ['complaints', 'types', i, ...path],
          message: `needs a "${primary}" text`,
        });
    }
    const attributeCodes = new Set<string>();
    type.attributes.forEach((a, j) => {
      if (attributeCodes.has(a.code))
        ctx.addIssue({
          code: 'custom',
          path: ['complaints', 'types', i, 'attributes', j, 'code'],
          message: `duplicate "${a.code}"`,
        });
      attributeCodes.add(a.code);
    });
  });
}

/** Every district area encloses something: a polygon has three different corners, a box a south below its north. */
function checkDistrictAreas(config: { districts: Array<{ area?: DistrictArea }> }, ctx: z.RefinementCtx) {
  config.districts.forEach(({ area }, i) => {
    if (!area) return;
    if ('polygon' in area) {
      const corners = new Set(area.polygon.map(([lat, long]) => `${lat},${long}`));
      if (corners.size < 3)
        ctx.addIssue({
          code: 'custom',
          path: ['districts', i, 'area', 'polygon'],
          message: `needs at least 3 different corners (has ${corners.size})`,
        });
      return;
    }
    const { south, west, north, east } = area.box;
    if (south >= north)
      ctx.addIssue({
        code: 'custom',
        path: ['districts', i, 'area', 'box'],
        message: 'south must be less than north',
      });
    // A box across the antimeridian (west > east) is not supported: no utility of ours lies on it.
    if (west >= east)
      ctx.addIssue({
        code: 'custom',
        path: ['districts', i, 'area', 'box'],
        message: 'west must be less than east (a box across the 180th meridian is not supported)',
      });
  });
}

export type UtilityConfig = z.infer<typeof utilityConfigSchema>;
export type MeterKindConfig = UtilityConfig['meterKinds'][number];
export type TariffComponent = UtilityConfig['tariffs'][number];
export type ReductionConfig = UtilityConfig['reductions'][number];
export type InboundGatewayConfig = UtilityConfig['channels']['sms']['inboundGateways'][number];
export type GatewaySendConfig = NonNullable<InboundGatewayConfig['send']>;
export type GatewayDeliveryReportsConfig = NonNullable<InboundGatewayConfig['deliveryReports']>;
export type SmsOutboundConfig = UtilityConfig['channels']['sms']['outbound'];
export type EmailChannelConfig = UtilityConfig['channels']['email'];
export type { AlimTalkHttpConfig } from './messenger.ts';
export type RateLimitConfig = z.infer<typeof rateLimit>;
export type EstimationConfig = z.infer<typeof estimationConfig>;

/** The language of the utility's locale ("ko" for ko-KR): every configured text has it. */
export function primaryLanguage(config: UtilityConfig): string {
  return config.locale.slice(0, 2);
}

/** A configured text in `language`, else in the utility's primary language (which the schema requires). */
export function localize(config: UtilityConfig, text: Record<string, string>, language: string): string {
  return text[language] ?? text[primaryLanguage(config)] ?? '';
}

/** Thrown when a configuration does not pass the schema; the message names every bad field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseUtilityConfig(raw: unknown, source: string): UtilityConfig {
  const result = utilityConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `  ${field}: ${issue.message}`;
  });
  throw new ConfigError(`${source} is not a valid utility configuration:\n${lines.join('\n')}`);
}
