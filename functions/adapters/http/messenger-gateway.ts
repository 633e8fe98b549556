// MessengerSender through an AlimTalk-style template API over HTTPS (NHN Cloud, and others shaped alike), per the profile.
import {
  type MessengerMessage,
  MessengerProviderError,
  type MessengerSender,
  MessengerThrottledError,
  MessengerUnreachableError,
} from '#app/ports';
import type { AlimTalkHttpConfig } from '#config/schema';
import { buildMessengerRequest, readMessengerAnswer, templateCodeOf } from '#domain/messenger-request';

export interface MessengerGatewayOptions {
  fetch?: typeof fetch;
}

const ERROR_BODY_CHARS = 200;

/**
 * The start of an answer, for an error message: providers echo the request, so every run of four or more digits
 * (a phone, an account number, an amount) is masked; the provider's wording stays readable.
 */
function excerpt(answer: string): string {
  return answer.slice(0, ERROR_BODY_CHARS).replace(/\d{4,}/g, '####');
}

/** Seconds from a Retry-After header given in seconds (the HTTP-date form is rare at these providers). */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/**
 * Sends one template message per request, with the notice id as the idempotency header, and no retries of its
 * own: a failed send is the queue's to try again, with the same key.
 */
export class MessengerGateway implements MessengerSender {
  constructor(
    private readonly profile: AlimTalkHttpConfig,
    /** The provider's API key (Secrets Manager in AWS), read when first needed. */
    private readonly apiKey: () => Promise<string>,
    private readonly options: MessengerGatewayOptions = {},
  ) {}

  async send(message: MessengerMessage): Promise<{ messageId: string; providerFallback?: boolean }> {
    const { profile } = this;
    const templateCode = templateCodeOf(profile, message.templateKey);
    if (!templateCode) {
      throw new MessengerProviderError(
        'unknown-template',
        `No template code is configured for "${message.templateKey}" (channels.messenger.templates)`,
        false,
      );
    }
    let body: string;
    try {
      body = buildMessengerRequest(profile, { ...message, templateCode });
    } catch (cause) {
      throw new MessengerProviderError(
        'bad-request',
        `The messenger request cannot be built: ${(cause as Error).message}`,
        false,
      );
    }
    const apiKey = await this.apiKey();
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
      [profile.apiKeyHeader]: apiKey,
    };
    if (profile.idempotencyHeader) headers[profile.idempotencyHeader] = message.idempotencyKey;

    let response: Response;
    let answer: string;
    try {
      response = await (this.options.fetch ?? fetch)(profile.url, {
        method: 'POST',
        headers,
        body,
        // The timeout covers reading the answer too, not only the connection.
        signal: AbortSignal.timeout(profile.timeoutMs),
      });
      answer = await response.text();
    } catch (cause) {
      if (cause instanceof Error && cause.name === 'TimeoutError') {
        throw new MessengerProviderError(
          'timeout',
          `The messenger provider did not answer within ${profile.timeoutMs} ms`,
          true,
          { cause },
        );
      }
      const inner = cause instanceof Error && cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
      throw new MessengerProviderError(
        'unreachable-host',
        `The messenger provider could not be reached: ${(cause as Error).message}${inner}`,
        true,
        { cause },
      );
    }

    const outcome = readMessengerAnswer(profile, response.status, answer);
    const said = `the messenger provider answered ${response.status}`;
    switch (outcome.kind) {
      case 'sent':
        return { messageId: outcome.messageId };
      case 'provider-fallback':
        return { messageId: outcome.messageId, providerFallback: true };
      case 'duplicate':
        // Taken by an earlier attempt whose answer was lost: our key is the only id left to record.
        return { messageId: outcome.messageId ?? message.idempotencyKey };
      case 'unreachable':
        throw new MessengerUnreachableError(
          outcome.code,
          `The recipient cannot get messenger messages (${said} with code ${outcome.code})`,
        );
      case 'throttled':
        throw new MessengerThrottledError(
          outcome.code,
          `The messenger provider asks to slow down (${said} with code ${outcome.code})`,
          retryAfterSeconds(response.headers.get('retry-after')),
        );
      case 'refused':
        throw new MessengerProviderError(
          outcome.code,
          `The messenger provider did not take the message (${said} with code ${outcome.code}): ${excerpt(answer)}`,
          outcome.retryable,
        );
      case 'unreadable':
        throw new MessengerProviderError(
          'bad-answer',
          `The messenger provider's answer cannot be read (${said}): ${outcome.reason}: ${excerpt(answer)}`,
          true,
        );
    }
  }
}
