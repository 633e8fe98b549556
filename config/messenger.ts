// The messenger channel's profile: an AlimTalk-style template API over HTTPS, the local stand-in, or none.
import { z } from 'zod';
import { languageCode } from './localized-text.ts';

/** Kakao's codes for a recipient who cannot get an AlimTalk: cannot deliver, not a KakaoTalk user, blocked the channel. */
export const KAKAO_UNREACHABLE_CODES = ['3018', '3019', '3020'];

/** A dotted path into a JSON document ("message.requestId"); a step of digits indexes an array in an answer. */
const jsonPath = z
  .string()
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'a dotted path such as "message.requestId"')
  .max(200);

/**
 * What residents call the messenger, by language ("카카오톡 알림톡", "KakaoTalk"): a sign-up offers it by this
 * name (GET /utility), so no brand is written into the pages. Needs the utility's primary language (config/schema.ts).
 */
const channelName = z.record(languageCode, z.string().min(1).max(40));

const headerName = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'an HTTP header name');

/** The provider's result codes are compared as text: NHN Cloud answers numbers (0), Naver SENS strings ("A000"). */
const resultCode = z.string().min(1).max(40);

/** A fixed field: text, a number or a flag (NHN Cloud's resendParameter.isResend, Solapi's disableSms). */
const constantValue = z.union([z.string(), z.number(), z.boolean()]);

/** HTTPS; plain HTTP only to this machine (a stand-in of the provider in tests). */
const providerUrl = z.url({ protocol: /^https?$/ }).refine((url) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || hostname === '127.0.0.1' || hostname === 'localhost';
}, 'must be https (http only to 127.0.0.1 or localhost)');

/**
 * Where each part of one message goes in the JSON request. `senderKey`, `templateCode`, `recipientList` and
 * `constants` are paths from the body's root; the recipient's own fields (`recipient`, `parameters`, `text`,
 * `reference`, `recipientConstants`) are paths inside the one element of `recipientList`, or from the root when
 * the provider takes one recipient per request (Solapi's `message`).
 */
const messengerRequest = z
  .strictObject({
    /** NHN Cloud "senderKey", Naver SENS "plusFriendId", Solapi "message.kakaoOptions.pfId". */
    senderKey: jsonPath,
    /** NHN Cloud and SENS "templateCode", Solapi "message.kakaoOptions.templateId". */
    templateCode: jsonPath,
    /** The array of recipients: NHN Cloud "recipientList", SENS "messages"; absent for one recipient per request. */
    recipientList: jsonPath.optional(),
    /** NHN Cloud "recipientNo", SENS "to", Solapi "message.to". */
    recipient: jsonPath,
    /** The template's #{key} values as an object: NHN Cloud "templateParameter", Solapi "message.kakaoOptions.variables". */
    parameters: jsonPath.optional(),
    /** How the keys of `parameters` are written: "name" (plain, NHN Cloud) or "#{name}" (braced, Solapi). */
    parameterKeys: z.enum(['plain', 'braced']).default('plain'),
    /** The filled-in text, for providers that want the whole message (SENS "content"). */
    text: jsonPath.optional(),
    /** Our idempotency key in the body too, so delivery reports name it (NHN Cloud "recipientGroupingKey"). */
    reference: jsonPath.optional(),
    /** Fixed fields of the body, e.g. {"message.from": "0216610120"} for Solapi. */
    constants: z.record(jsonPath, constantValue).default({}),
    /** Fixed fields of each recipient, e.g. {"resendParameter.isResend": false} for NHN Cloud. */
    recipientConstants: z.record(jsonPath, constantValue).default({}),
  })
  .refine((request) => request.parameters !== undefined || request.text !== undefined, {
    message: 'needs "parameters" or "text": where the template\'s values go',
  });

/** Where the result is in the provider's JSON answer. */
const messengerAnswer = z.strictObject({
  /**
   * Where the result code is, tried in order: the first present counts. NHN Cloud puts the recipient's in
   * "message.sendResults.0.resultCode" and a refusal of the whole request only in "header.resultCode".
   */
  code: z.array(jsonPath).min(1),
  /** The codes that mean the provider took the message (NHN Cloud 0, Solapi 2000, SENS A000). */
  successCodes: z.array(resultCode).min(1),
  /** Where the provider's message id is (NHN Cloud "message.requestId"). */
  messageId: jsonPath,
});

export const alimTalkHttpProfile = z
  .strictObject({
    provider: z.literal('alimtalk-http'),
    /** Absent: clients call it by a word of their own ("Messenger"). */
    name: channelName.optional(),
    /** The send endpoint, e.g. NHN Cloud's .../alimtalk/v2.3/appkeys/{appkey}/messages. */
    url: providerUrl,
    /** The Kakao channel's sender key (NHN Cloud), channel id (SENS plusFriendId) or pfId (Solapi). */
    senderKey: z.string().min(1).max(200),
    /** The Secrets Manager secret (created by the data stack under this name) holding the provider's API key. */
    secretName: z
      .string()
      .regex(
        /^[A-Za-z0-9/_+=.@-]{1,512}$/,
        'a Secrets Manager secret name such as "utilitydesk/seoul/alimtalk"',
      ),
    /** The request header that carries the API key (NHN Cloud "X-Secret-Key"). */
    apiKeyHeader: headerName,
    /** The request header that carries our idempotency key (NHN Cloud "X-NC-API-IDEMPOTENCY-KEY"); absent: none. */
    idempotencyHeader: headerName.optional(),
    /** Our template key (bill-giro, bill-auto-pay, announcement...) -> the provider's approved template code. */
    templates: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'a template key such as "bill-giro"'),
        z.string().min(1),
      )
      .refine((templates) => Object.keys(templates).length > 0, 'needs at least one template'),
    /** How the recipient is written: "+821012345678" (e164) or the national digits "01012345678" (national). */
    recipientFormat: z.enum(['e164', 'national']),
    request: messengerRequest,
    answer: messengerAnswer,
    /** Result codes that mean this recipient cannot get it by messenger: the notice falls back to SMS. */
    unreachableCodes: z.array(resultCode).default(KAKAO_UNREACHABLE_CODES),
    /** Result codes that mean "slow down" (HTTP 429 always does). */
    throttledCodes: z.array(resultCode).default([]),
    /** Result codes worth trying again as they are (Kakao 3022: outside sending hours); other refusals are not. */
    retryableCodes: z.array(resultCode).default([]),
    /**
     * Result codes that mean "this idempotency key was used already": the first request was taken, so a retry
     * after a lost answer counts as sent instead of failing.
     */
    duplicateCodes: z.array(resultCode).default([]),
    /** The provider sends an SMS itself when the messenger cannot deliver: then we never fall back ourselves. */
    providerFallback: z.boolean(),
    timeoutMs: z.number().int().min(500).max(30_000).default(5_000),
    /** The provider's sending rate for this utility: the notice sender's concurrency is derived from it. */
    messagesPerSecond: z.number().int().min(1).max(10_000),
  })
  .superRefine((profile, ctx) => {
    const { request } = profile;
    const root = [
      request.senderKey,
      request.templateCode,
      ...(request.recipientList ? [request.recipientList] : []),
      ...Object.keys(request.constants),
    ];
    const own = [
      request.recipient,
      ...(request.parameters ? [request.parameters] : []),
      ...(request.text ? [request.text] : []),
      ...(request.reference ? [request.reference] : []),
      ...Object.keys(request.recipientConstants),
    ];
    const clash = request.recipientList
      ? (firstClash(root) ?? firstClash(own))
      : firstClash([...root, ...own]);
    if (clash)
      ctx.addIssue({ code: 'custom', path: ['request'], message: `two fields are put at "${clash}"` });

    const lists = [
      'successCodes',
      'unreachableCodes',
      'throttledCodes',
      'retryableCodes',
      'duplicateCodes',
    ] as const;
    const seen = new Map<string, string>();
    for (const list of lists) {
      const codes = list === 'successCodes' ? profile.answer.successCodes : profile[list];
      for (const code of codes) {
        const earlier = seen.get(code);
        if (earlier) {
          ctx.addIssue({
            code: 'custom',
            path: list === 'successCodes' ? ['answer', list] : [list],
            message: `"${code}" is in ${earlier} too`,
          });
        }
        seen.set(code, list);
      }
    }
  });

/** Two fields on one spot: the same path, or one path inside another ("data" and "data.text"). */
function firstClash(paths: string[]): string | undefined {
  return paths.find((path, i) =>
    paths.some((other, j) => j !== i && (other === path || other.startsWith(`${path}.`))),
  );
}

export const messengerChannel = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('none') }),
  alimTalkHttpProfile,
  /** npm start's stand-in: the local outbox, with some demo phones as non-users. */
  z.strictObject({ provider: z.literal('local'), name: channelName.optional() }),
]);

export type AlimTalkHttpConfig = z.infer<typeof alimTalkHttpProfile>;
