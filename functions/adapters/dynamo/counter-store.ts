// CounterStore on the single table: one item per (scope, hashed id, window), counted with a conditional update.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Counter, CounterStore } from '#app/ports';
import { ENTITY, keys, ttlSeconds } from './keys.ts';

export class DynamoCounterStore implements CounterStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async increment(counter: Counter, max: number, retainUntil: number): Promise<number | undefined> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.counter(counter.scope, counter.id, counter.window),
          UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one, #ttl = :ttl, #type = :type',
          // One conditional write: concurrent callers on any instance cannot pass the limit together.
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl', '#type': 'type' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':max': max,
            ':ttl': ttlSeconds(retainUntil),
            ':type': ENTITY.counter,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.count);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async check(counter: Counter, max: number, retainUntil: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.counter(counter.scope, counter.id, counter.window),
          // Writes only what an increment would write anyway (type, expiry), leaving the count as it is.
          UpdateExpression: 'SET #ttl = if_not_exists(#ttl, :ttl), #type = :type',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl', '#type': 'type' },
          ExpressionAttributeValues: {
            ':max': max,
            ':ttl': ttlSeconds(retainUntil),
            ':type': ENTITY.counter,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(counter: Counter): Promise<number> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.counter(counter.scope, counter.id, counter.window),
        ProjectionExpression: '#count',
        ExpressionAttributeNames: { '#count': 'count' },
        ConsistentRead: true,
      }),
    );
    return Number(result.Item?.count ?? 0);
  }
}
