// Use case: accept one inbound SMS from a domestic gateway's signed webhook and put it on the inbound queue.

import type { InboundGatewayConfig } from '#config/schema';
import { NotFoundError, UnauthenticatedError } from '#domain/errors';
import { type GatewayMessage, readGatewayPayload } from '#domain/gateway-payload';
import { isValidGatewaySignature } from '#domain/gateway-signature';
import type { Deps } from './ports.ts';

type GatewayDeps = Pick<Deps, 'config' | 'clock' | 'gatewaySecrets' | 'inboundQueue'>;

export interface GatewayDelivery {
  gatewayId: string;
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: Buffer;
  /** Reads a request header by name (case-insensitive). */
  header(name: string): string | undefined;
}

/**
 * Checks, in this order, that the gateway is configured (404), that the body carries its signature (401,
 * over the raw bytes, before anything is decoded), that its charset can be read (415), that the payload
 * holds the mapped fields, the send time included when the profile maps one (400), and that it is neither
 * older than the replay window nor dated further ahead than the gateway's clock could drift (422); then
 * enqueues.
 *
 * No dedupe here: a gateway that retries may enqueue the same message twice, but its id (prefixed with the
 * gateway id) is the consumer's idempotency key (InboundLog), so it is acted on and answered once.
 */
export async function receiveGatewaySms(
  deps: GatewayDeps,
  delivery: GatewayDelivery,
): Promise<{ status: 'queued'; messageId: string }> {
  const gateway = await verifiedGateway(deps, delivery);
  const now = deps.clock.now();
  const message: GatewayMessage = readGatewayPayload(
    gateway,
    { bytes: delivery.rawBody, contentType: delivery.header('content-type') },
    now,
    deps.config.timeZone,
  );
  await deps.inboundQueue.enqueue(message);
  return { status: 'queued', messageId: message.messageId };
}

/**
 * The gateway a webhook request names, once its signature over the raw body is checked: 404 for a gateway the
 * config does not have, 401 for a missing or wrong signature. The inbound SMS and delivery-report webhooks share it.
 */
export async function verifiedGateway(
  deps: Pick<Deps, 'config' | 'gatewaySecrets'>,
  delivery: GatewayDelivery,
): Promise<InboundGatewayConfig> {
  const gateway = deps.config.channels.sms.inboundGateways.find((g) => g.id === delivery.gatewayId);
  if (!gateway) {
    throw new NotFoundError('gateway-not-found', `No SMS gateway "${delivery.gatewayId}" is configured.`);
  }
  const secret = await deps.gatewaySecrets.secretOf(gateway.id);
  // A configured gateway without a secret is a deployment fault: a 500, logged, rather than an open door.
  if (!secret) throw new Error(`No secret is set for SMS gateway ${gateway.id}`);
  const signature = delivery.header(gateway.signature.header);
  if (!isValidGatewaySignature(delivery.rawBody, secret, gateway.signature, signature)) {
    throw new UnauthenticatedError(
      'invalid-signature',
      signature
        ? `The ${gateway.signature.header} header does not sign this body.`
        : `The request has no ${gateway.signature.header} header.`,
    );
  }
  return gateway;
}
