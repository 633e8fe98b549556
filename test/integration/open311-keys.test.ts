// Open311 partners' api_keys: issued once by ops, kept only as a hash, refused from the moment they are revoked.
import { spawnSync } from 'node:child_process';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys';
import { findActiveOpen311Key, issueOpen311Key, listOpen311Keys, revokeOpen311Key } from '#app/open311-keys';
import { hashOpen311Key } from '#domain/open311-key';
import { type TestWorld, testWorld } from '#test/support/deps';

let world: TestWorld;

beforeAll(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
});

describe('Open311 api_keys', () => {
  it('shows a key once at issue, stores only its hash, and finds it by the key a partner sends', async () => {
    // The city's smart-city app gets a key to file complaints for its users.
    const { record, key } = await issueOpen311Key(world.deps, 'Seoul Smart City app');
    expect(key).toMatch(/^ud311_[A-Za-z0-9_-]{43}$/);
    expect(record).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{10}$/),
      name: 'Seoul Smart City app',
      hash: hashOpen311Key(key),
      createdAt: '2026-12-01T01:00:00.000Z',
    });
    const stored = await world.table.client.send(
      new GetCommand({ TableName: world.table.tableName, Key: keys.open311KeyByHash(record.hash) }),
    );
    expect(JSON.stringify(stored.Item)).not.toContain(key);

    expect(await findActiveOpen311Key(world.deps, key)).toEqual(record);
    expect(await findActiveOpen311Key(world.deps, `${key}x`)).toBeUndefined();
    expect(await findActiveOpen311Key(world.deps, '')).toBeUndefined();
  });

  it('refuses a revoked key from the next request on, keeps the first revocation time, and lists both', async () => {
    // A partner's key leaked: ops revokes it, and a second revoke (a retried command) changes nothing.
    world.clock.set(new Date('2026-12-01T02:00:00Z'));
    const { record, key } = await issueOpen311Key(world.deps, 'Leaky partner');
    world.clock.set(new Date('2026-12-02T01:00:00Z'));
    const revoked = await revokeOpen311Key(world.deps, record.id);
    expect(revoked.revokedAt).toBe('2026-12-02T01:00:00.000Z');
    expect(await findActiveOpen311Key(world.deps, key)).toBeUndefined();
    world.clock.set(new Date('2026-12-03T01:00:00Z'));
    expect((await revokeOpen311Key(world.deps, record.id)).revokedAt).toBe('2026-12-02T01:00:00.000Z');

    const listed = await listOpen311Keys(world.deps);
    expect(listed.map((k) => [k.name, k.revokedAt])).toEqual([
      ['Seoul Smart City app', undefined],
      ['Leaky partner', '2026-12-02T01:00:00.000Z'],
    ]);
    await expect(revokeOpen311Key(world.deps, 'no-such-key')).rejects.toThrow('No Open311 key has the id');
  });

  it('issues a given key once: issuing it again (a restarted local runtime) changes nothing', async () => {
    const first = await issueOpen311Key(world.deps, 'Local demo partner', {
      id: 'local-demo',
      key: 'ud311_demo',
    });
    const again = await issueOpen311Key(world.deps, 'Local demo partner', {
      id: 'local-demo',
      key: 'ud311_demo',
    });
    expect([first.issued, again.issued]).toEqual([true, false]);
    expect(await findActiveOpen311Key(world.deps, 'ud311_demo')).toMatchObject({ id: 'local-demo' });
  });
});

describe('ops open311 keys', () => {
  const ops = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        'node_modules/tsx/dist/cli.mjs',
        'bin/ops.ts',
        'open311',
        'keys',
        ...args,
        '--endpoint',
        world.table.endpoint,
        '--table',
        world.table.tableName,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );

  it('issues a key and prints it once, lists it without the key, and revokes it by id', async () => {
    const issued = ops('issue', '--name', 'Tyumen city portal');
    expect(issued.status).toBe(0);
    const key = issued.stdout.match(/api_key: (ud311_\S+)/)?.[1] ?? '';
    const id = issued.stdout.match(/Issued Open311 key (\S+) for "Tyumen city portal"/)?.[1] ?? '';
    expect(await findActiveOpen311Key(world.deps, key)).toMatchObject({ id, name: 'Tyumen city portal' });

    const listed = ops('list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('Tyumen city portal');
    expect(listed.stdout).not.toContain(key);

    const revoked = ops('revoke', id);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain(`Open311 key ${id} ("Tyumen city portal") is revoked since`);
    expect(await findActiveOpen311Key(world.deps, key)).toBeUndefined();

    const unknown = ops('revoke', 'nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('error: No Open311 key has the id "nope".\n');
  }, 120_000);
});
