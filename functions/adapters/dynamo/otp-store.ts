// OtpStore on the single table: one code per (account, phone), one send log per phone, both with TTL.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { OtpStore, SendLog } from '#app/ports';
import type { OtpRecord } from '#domain/otp';
import { ENTITY, keys, stripInternalKeys, ttlSeconds } from './keys.ts';

const otpItemSchema = z.object({
  subject: z.string(),
  phone: z.string(),
  codeHash: z.string(),
  expiresAt: z.number(),
  attempts: z.number().int(),
});

const sendLogSchema = z.object({ sentAt: z.array(z.number()), version: z.number().int() });

async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export class DynamoOtpStore implements OtpStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(subject: string, phone: string): Promise<OtpRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.otp(subject, phone), ConsistentRead: true }),
    );
    return result.Item ? otpItemSchema.parse(stripInternalKeys(result.Item)) : undefined;
  }

  async put(record: OtpRecord, retainUntil: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.otp(record.subject, record.phone),
          type: ENTITY.otp,
          ...record,
          ttl: ttlSeconds(retainUntil),
        },
      }),
    );
  }

  async countAttempt(subject: string, phone: string, maxAttempts: number): Promise<number | undefined> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.otp(subject, phone),
          UpdateExpression: 'SET attempts = attempts + :one',
          ConditionExpression: 'attribute_exists(pk) AND attempts < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': maxAttempts },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.attempts);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async consume(subject: string, phone: string, codeHash: string): Promise<boolean> {
    return conditional(
      this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.otp(subject, phone),
          ConditionExpression: 'codeHash = :hash',
          ExpressionAttributeValues: { ':hash': codeHash },
        }),
      ),
    );
  }

  async getSendLog(key: string): Promise<SendLog> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.otpSendLog(key), ConsistentRead: true }),
    );
    if (!result.Item) return { sentAt: [], version: 0 };
    return sendLogSchema.parse({ sentAt: result.Item.sentAt, version: result.Item.version });
  }

  async putSendLog(
    key: string,
    sentAt: number[],
    expectedVersion: number,
    retainUntil: number,
  ): Promise<boolean> {
    return conditional(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.otpSendLog(key),
            type: ENTITY.otpSendLog,
            sentAt,
            version: expectedVersion + 1,
            ttl: ttlSeconds(retainUntil),
          },
          // Optimistic lock: two requests reading the same log cannot both append to it.
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':v': expectedVersion },
        }),
      ),
    );
  }
}
