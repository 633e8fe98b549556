// Use case: accept one delivery report from a domestic gateway's signed webhook and put it on the delivery events queue.
import { NotFoundError } from '#domain/errors';
import { readGatewayDeliveryReport } from '#domain/gateway-delivery-report';
import type { Deps } from './ports.ts';
import { type GatewayDelivery, verifiedGateway } from './sms-gateway.ts';

/**
 * Checks the gateway and its signature as for its inbound SMS (404, 401), that it reports deliveries at all (404),
 * the mapped fields (400) and the report's time against the replay window (422); then enqueues. No dedupe here:
 * the same report twice changes a notice once (nextDelivery), so a gateway may retry freely.
 */
export async function receiveGatewayDeliveryReport(
  deps: Pick<Deps, 'config' | 'clock' | 'gatewaySecrets' | 'deliveryEvents'>,
  delivery: GatewayDelivery,
): Promise<{ status: 'queued' }> {
  const gateway = await verifiedGateway(deps, delivery);
  const profile = gateway.deliveryReports;
  if (!profile) {
    throw new NotFoundError(
      'delivery-reports-not-configured',
      `The SMS gateway "${gateway.id}" has no delivery-report profile.`,
    );
  }
  const report = readGatewayDeliveryReport(
    { ...gateway, deliveryReports: profile },
    { bytes: delivery.rawBody, contentType: delivery.header('content-type') },
    deps.clock.now(),
    deps.config.timeZone,
  );
  await deps.deliveryEvents.enqueue({ source: 'gateway', ...report });
  return { status: 'queued' };
}
