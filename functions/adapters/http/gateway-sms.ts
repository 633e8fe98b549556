// SmsSender through a domestic SMS aggregator's HTTP send API: the inbound gateway's send profile, signed with its secret.
import { randomUUID } from 'node:crypto';
import type { GatewaySecrets, SmsMessage, SmsSender } from '#app/ports';
import type { GatewaySendConfig, InboundGatewayConfig } from '#config/schema';
import { buildGatewaySendRequest, readGatewayMessageId } from '#domain/gateway-send';
import { signGatewayBody } from '#domain/gateway-signature';

export interface GatewaySmsOptions {
  fetch?: typeof fetch;
  /** Our id for a message that brings no idempotency key, sent as its reference (and idempotency header). */
  newReference?: () => string;
}

const ERROR_BODY_CHARS = 200;

/**
 * The start of an error answer, for the log: aggregators often echo the request, so every run of four or
 * more digits (a code, a phone or account number) is masked; the error's wording stays readable.
 */
function errorExcerpt(answer: string): string {
  return answer.slice(0, ERROR_BODY_CHARS).replace(/\d{4,}/g, '####');
}

/** Why a request failed, with the network error under fetch's generic "fetch failed". */
function failure(cause: unknown, timeoutMs: number): string {
  if (!(cause instanceof Error)) return `could not be reached: ${String(cause)}`;
  if (cause.name === 'TimeoutError') return `did not answer within ${timeoutMs} ms`;
  const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
  return `could not be reached: ${cause.message}${inner}`;
}

export class GatewaySms implements SmsSender {
  private readonly profile: GatewaySendConfig;

  constructor(
    private readonly gateway: InboundGatewayConfig,
    private readonly secrets: GatewaySecrets,
    private readonly options: GatewaySmsOptions = {},
  ) {
    if (!gateway.send) throw new Error(`SMS gateway ${gateway.id} has no "send" profile`);
    this.profile = gateway.send;
  }

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const { id, signature } = this.gateway;
    const send = this.profile;
    // A message's own key makes every attempt the same request to the aggregator, which may drop the repeats.
    const reference = message.idempotencyKey ?? (this.options.newReference ?? randomUUID)();
    const request = buildGatewaySendRequest(send, message, reference);
    const secret = await this.secrets.secretOf(id);
    if (!secret) throw new Error(`No secret is configured for SMS gateway ${id}`);
    const doFetch = this.options.fetch ?? fetch;

    let status: number;
    let answer: string;
    try {
      const response = await doFetch(send.url, {
        method: 'POST',
        headers: {
          'content-type': request.contentType,
          [signature.header]: signGatewayBody(request.body, secret, signature),
          ...(send.idempotencyHeader ? { [send.idempotencyHeader]: reference } : {}),
        },
        body: request.body,
        // The timeout covers reading the answer too, not only the connection.
        signal: AbortSignal.timeout(send.timeoutMs),
      });
      status = response.status;
      answer = await response.text();
    } catch (cause) {
      throw new Error(`SMS gateway ${id} ${failure(cause, send.timeoutMs)}`, { cause });
    }
    if (status < 200 || status > 299) {
      throw new Error(`SMS gateway ${id} answered ${status}: ${errorExcerpt(answer)}`);
    }
    return { messageId: readGatewayMessageId(send, answer, reference) };
  }
}
