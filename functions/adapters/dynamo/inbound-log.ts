// InboundLog on the single table: one item per inbound message id, so a redelivery changes nothing.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { InboundLog } from '#app/ports';
import { INBOUND_LEDGER_RETENTION_DAYS } from '#domain/gateway-time';
import { ENTITY, keys, ttlSeconds } from './keys.ts';

const INBOUND_RETENTION_MS = INBOUND_LEDGER_RETENTION_DAYS * 24 * 3600_000;
/**
 * A claim older than this is taken to be from a worker that died, and the message is processed
 * again: longer than a consumer may run (30 s), shorter than the queue's visibility timeout (181 s),
 * so a redelivery after a crash is not handed back again and again until it is dead-lettered.
 */
const STALE_CLAIM_MS = 60_000;

/** The ledger's item for a message; the reading store writes a done one inside its own transaction. */
export function inboundItem(messageId: string, status: 'in-progress' | 'done', now: number) {
  return {
    ...keys.inboundMessage(messageId),
    type: ENTITY.inboundMessage,
    status,
    claimedAt: now,
    ttl: ttlSeconds(now + INBOUND_RETENTION_MS),
  };
}

export class DynamoInboundLog implements InboundLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(messageId: string, now: number): Promise<'new' | 'done' | 'in-progress'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: inboundItem(messageId, 'in-progress', now),
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :progress AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':progress': 'in-progress', ':stale': now - STALE_CLAIM_MS },
        }),
      );
      return 'new';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.client.send(
        new GetCommand({ TableName: this.table, Key: keys.inboundMessage(messageId), ConsistentRead: true }),
      );
      return existing.Item?.status === 'done' ? 'done' : 'in-progress';
    }
  }

  async markDone(messageId: string, now: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: inboundItem(messageId, 'done', now),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async complete(messageId: string, now: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: inboundItem(messageId, 'done', now),
      }),
    );
  }

  async release(messageId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: keys.inboundMessage(messageId) }));
  }
}
