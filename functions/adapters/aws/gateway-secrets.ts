// The SMS gateways' shared secrets from Secrets Manager: read on first use, then kept for the execution environment.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { GatewaySecrets } from '#app/ports';
import { readSecretString } from './secrets.ts';

/** GATEWAY_SECRET_ARNS: a JSON object from gateway id to secret ARN: all on the webhook's function, the sending gateway's on SMS senders. */
export function parseGatewaySecretArns(json: string | undefined): Record<string, string> {
  if (!json) return {};
  return z.record(z.string(), z.string().min(1)).parse(JSON.parse(json));
}

export class SecretsManagerGatewaySecrets implements GatewaySecrets {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly arns: Record<string, string>,
  ) {}

  secretOf(gatewayId: string): Promise<string | undefined> {
    const arn = Object.hasOwn(this.arns, gatewayId) ? this.arns[gatewayId] : undefined;
    if (!arn) return Promise.resolve(undefined);
    let secret = this.cache.get(gatewayId);
    if (!secret) {
      // Lazily, not at cold start: every function shares this composition root, and few may read these.
      secret = readSecretString(this.client, arn);
      this.cache.set(gatewayId, secret);
      // A failed read (throttled, say) is retried on the next request rather than remembered.
      secret.catch(() => this.cache.delete(gatewayId));
    }
    return secret;
  }
}
