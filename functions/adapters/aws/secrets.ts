// Reads the deployment's signing secret from AWS Secrets Manager.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!result.SecretString) throw new Error(`Secret ${secretId} has no string value`);
  return result.SecretString;
}

/**
 * A secret read on first use and kept for the execution environment; a failed read (throttled, say) is tried
 * again on the next use rather than remembered.
 */
export function lazySecret(client: SecretsManagerClient, secretId: string): () => Promise<string> {
  let secret: Promise<string> | undefined;
  return () => {
    if (!secret) {
      const read = readSecretString(client, secretId);
      read.catch(() => {
        if (secret === read) secret = undefined;
      });
      secret = read;
    }
    return secret;
  };
}
