// BillDropLog on the single table: one item per dropped object version, claimed, then marked done with its summary.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { BillDrop, BillDropClaim, BillDropLog, BillDropSummary } from '#app/ports';
import { ENTITY, keys, ttlSeconds } from './keys.ts';

/** Done markers outlive any redelivery of an S3 event (hours) by far, and serve as the drops' record for a year. */
const DONE_RETENTION_MS = 400 * 24 * 3600_000;
/**
 * A claim older than this is taken to be from an import that died: longer than the drop consumer may run (30 s),
 * shorter than its queue's visibility timeout (181 s), so the event's redelivery takes the file over.
 */
const STALE_CLAIM_MS = 60_000;

const summarySchema = z.object({
  read: z.number().int(),
  imported: z.number().int(),
  rejected: z.number().int(),
  rejects: z.string().optional(),
  refused: z.string().optional(),
  importedAt: z.string(),
});

export class DynamoBillDropLog implements BillDropLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(drop: BillDrop, now: number): Promise<BillDropClaim> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.billDrop(drop.key, drop.version),
            type: ENTITY.billDrop,
            status: 'in-progress',
            claimedAt: now,
            ttl: ttlSeconds(now + DONE_RETENTION_MS),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :progress AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':progress': 'in-progress', ':stale': now - STALE_CLAIM_MS },
        }),
      );
      return { state: 'claimed', claimedAt: now };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: keys.billDrop(drop.key, drop.version),
          ConsistentRead: true,
        }),
      );
      if (existing.Item?.status !== 'done') return { state: 'in-progress' };
      return { state: 'done', summary: summarySchema.parse(existing.Item.summary) };
    }
  }

  async complete(drop: BillDrop, claimedAt: number, summary: BillDropSummary): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.billDrop(drop.key, drop.version),
            type: ENTITY.billDrop,
            status: 'done',
            claimedAt,
            summary,
            ttl: ttlSeconds(Date.parse(summary.importedAt) + DONE_RETENTION_MS),
          },
          ConditionExpression: '#status = :progress AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':progress': 'in-progress', ':claimedAt': claimedAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(drop: BillDrop, claimedAt: number): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.billDrop(drop.key, drop.version),
          ConditionExpression: '#status = :progress AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':progress': 'in-progress', ':claimedAt': claimedAt },
        }),
      );
    } catch (error) {
      // Taken over meanwhile, or already done: not ours to give back.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
