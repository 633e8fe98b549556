// Issuing, checking, listing and revoking Open311 partners' api_keys.
import { randomBytes } from 'node:crypto';
import { NotFoundError } from '#domain/errors';
import { hashOpen311Key, type Open311ApiKey, open311KeyFrom, open311KeyIdFrom } from '#domain/open311-key';
import type { Clock, Open311KeyStore } from './ports.ts';

type KeyDeps = { clock: Clock; open311Keys: Open311KeyStore };

/** A new key for a partner: the key is in the answer and nowhere else (the store keeps its hash). */
export async function issueOpen311Key(
  deps: KeyDeps,
  name: string,
  given?: { id: string; key: string },
): Promise<{ record: Open311ApiKey; key: string; issued: boolean }> {
  const key = given?.key ?? open311KeyFrom(randomBytes(32));
  const record: Open311ApiKey = {
    id: given?.id ?? open311KeyIdFrom(randomBytes(10)),
    name,
    hash: hashOpen311Key(key),
    createdAt: deps.clock.now().toISOString(),
  };
  const outcome = await deps.open311Keys.issue(record);
  return { record, key, issued: outcome === 'issued' };
}

/** The key an api_key names, if it was issued and not revoked. */
export async function findActiveOpen311Key(
  deps: Pick<KeyDeps, 'open311Keys'>,
  presented: string,
): Promise<Open311ApiKey | undefined> {
  const record = await deps.open311Keys.findByHash(hashOpen311Key(presented));
  return record && record.revokedAt === undefined ? record : undefined;
}

export function listOpen311Keys(deps: Pick<KeyDeps, 'open311Keys'>): Promise<Open311ApiKey[]> {
  return deps.open311Keys.list();
}

/** Revokes a key by id at once (a revoked key is refused from the next request on); revoking twice is harmless. */
export async function revokeOpen311Key(deps: KeyDeps, id: string): Promise<Open311ApiKey> {
  const revoked = await deps.open311Keys.revoke(id, deps.clock.now().toISOString());
  if (!revoked) throw new NotFoundError('unknown-open311-key', `No Open311 key has the id "${id}".`);
  return revoked;
}
