// HeldMessageStore on the single table: one item per held outbox message, in one partition ordered by release time.
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HeldMessageStore } from '#app/ports';
import { ENTITY, keys } from './keys.ts';

export class DynamoHeldMessageStore implements HeldMessageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async hold(id: string, until: string): Promise<void> {
    // Keyed by (until, id): holding the same message again rewrites the same item.
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.heldMessage(until, id), type: ENTITY.heldMessage, id, until },
      }),
    );
  }

  async due(now: string, limit: number): Promise<Array<{ id: string; until: string }>> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        // "~" sorts after "#": every key whose time is `now` or earlier.
        KeyConditionExpression: 'pk = :pk AND sk < :upTo',
        ExpressionAttributeValues: { ':pk': keys.heldMessagePartition, ':upTo': `${now}~` },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => ({ id: String(item.id), until: String(item.until) }));
  }

  async release(held: { id: string; until: string }): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.table, Key: keys.heldMessage(held.until, held.id) }),
    );
  }
}
