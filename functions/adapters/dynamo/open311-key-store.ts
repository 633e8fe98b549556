// Open311KeyStore on the single table: one item per api_key under the key's hash, listed through gsi1.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Open311KeyStore } from '#app/ports';
import type { Open311ApiKey } from '#domain/open311-key';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

const storedKey = z.object({
  id: z.string(),
  name: z.string(),
  hash: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});

function keyOf(item: Record<string, unknown>): Open311ApiKey {
  const { revokedAt, ...rest } = storedKey.parse(stripInternalKeys(item));
  return revokedAt === undefined ? rest : { ...rest, revokedAt };
}

export class DynamoOpen311KeyStore implements Open311KeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async issue(key: Open311ApiKey): Promise<'issued' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.open311Key(key.hash, key.id), type: ENTITY.open311Key, ...key },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'issued';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async findByHash(hash: string): Promise<Open311ApiKey | undefined> {
    const result = await this.client.send(
      // Consistent: a key revoked a moment ago is refused on the next request.
      new GetCommand({ TableName: this.table, Key: keys.open311KeyByHash(hash), ConsistentRead: true }),
    );
    return result.Item ? keyOf(result.Item) : undefined;
  }

  async list(): Promise<Open311ApiKey[]> {
    const found: Open311ApiKey[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.open311KeysPartition() },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(page.Items ?? []).map(keyOf));
      start = page.LastEvaluatedKey;
    } while (start);
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async revoke(id: string, at: string): Promise<Open311ApiKey | undefined> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :id',
        ExpressionAttributeValues: { ':pk': keys.open311KeysPartition(), ':id': id },
      }),
    );
    const found = page.Items?.[0];
    if (!found) return undefined;
    const key = keyOf(found);
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.open311KeyByHash(key.hash),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes ? keyOf(result.Attributes) : undefined;
  }
}
