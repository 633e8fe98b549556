// OutboxStore on the single table: one item per queued SMS or e-mail; a conditional claim lets one worker at a time send it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { OutboxClaim, OutboxStore, QueuedMessage } from '#app/ports';
import { QUEUED_PURPOSES } from '#domain/outbound-purpose';
import { ENTITY, keys, ttlSeconds } from './keys.ts';

/**
 * A claim older than this is taken to be from a worker that died: longer than a consumer runs (30 s), shorter
 * than the queue's visibility timeout (181 s), as for the inbound-message ledger. That worker may have sent the
 * SMS before it died, so taking its claim over can send it a second time: once per claim, not exactly once.
 */
const STALE_CLAIM_MS = 60_000;

/** An item written before e-mails were queued has no channel: it is an SMS. */
const queuedMessageSchema = z.discriminatedUnion('channel', [
  z.strictObject({
    channel: z.literal('sms'),
    id: z.string(),
    to: z.string(),
    body: z.string(),
    purpose: z.enum(QUEUED_PURPOSES).exclude(['reading-confirmation']),
    decoy: z.boolean(),
    queuedAt: z.string(),
    notAfter: z.string().optional(),
  }),
  z.strictObject({
    channel: z.literal('email'),
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    purpose: z.enum(QUEUED_PURPOSES).extract(['reading-confirmation']),
    queuedAt: z.string(),
  }),
]);

/**
 * The item's attributes for a message: an e-mail's text is kept as `body`, as an SMS's is, so that completing
 * either forgets it the same way.
 */
function attributesOf(message: QueuedMessage): Record<string, unknown> {
  if (message.channel === 'sms') return { ...message };
  const { text, ...rest } = message;
  return { ...rest, body: text };
}

export class DynamoOutboxStore implements OutboxStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Refuses (before writing) a message the outbound queue may not carry, such as a notice. */
  async put(message: QueuedMessage, retainUntil: number): Promise<void> {
    queuedMessageSchema.parse(message);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.outbox(message.id),
            type: ENTITY.outbox,
            ...attributesOf(message),
            status: 'queued',
            ttl: ttlSeconds(retainUntil),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Stored already (a message whose id its use case derives, queued again): sending or sent, it stays so.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async claim(id: string, now: number): Promise<OutboxClaim> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.outbox(id),
          UpdateExpression: 'SET #status = :sending, claimedAt = :now',
          ConditionExpression:
            'attribute_exists(pk) AND (#status = :queued OR (#status = :sending AND claimedAt < :stale))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':queued': 'queued',
            ':now': now,
            ':stale': now - STALE_CLAIM_MS,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = result.Attributes ?? {};
      const common = { id, to: item.to, purpose: item.purpose, queuedAt: item.queuedAt };
      return {
        state: 'claimed',
        message: queuedMessageSchema.parse(
          item.channel === 'email'
            ? { ...common, channel: 'email', subject: item.subject, text: item.body }
            : { ...common, channel: 'sms', body: item.body, decoy: item.decoy, notAfter: item.notAfter },
        ),
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.client.send(
        new GetCommand({ TableName: this.table, Key: keys.outbox(id), ConsistentRead: true }),
      );
      if (!existing.Item) return { state: 'missing' };
      return { state: existing.Item.status === 'done' ? 'done' : 'in-progress' };
    }
  }

  async complete(
    id: string,
    result: { outcome: 'sent' | 'dropped' | 'refused'; providerMessageId?: string },
    now: number,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.outbox(id),
        // The text (a code, perhaps) is not kept once it has gone, nor an e-mail's subject: only that it went, and when.
        UpdateExpression: `SET #status = :done, outcome = :outcome, completedAt = :now${result.providerMessageId ? ', providerMessageId = :provider' : ''} REMOVE body, subject`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':outcome': result.outcome,
          ':now': now,
          ...(result.providerMessageId ? { ':provider': result.providerMessageId } : {}),
        },
      }),
    );
  }

  async release(id: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.outbox(id),
          UpdateExpression: 'SET #status = :queued REMOVE claimedAt',
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued', ':sending': 'sending' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
