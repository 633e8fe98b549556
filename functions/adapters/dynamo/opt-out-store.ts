// OptOutStore on the single table: the phone's current opt-out state plus one event item per STOP/START.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { OptOutEvent, OptOutStore } from '#app/ports';
import { ENTITY, keys } from './keys.ts';

export class DynamoOptOutStore implements OptOutStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(event: OptOutEvent): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.optOutState(event.phone), type: ENTITY.optOutState, ...event },
                // Messages can be processed out of order: only a later instruction replaces the state. The same
                // message again is not stale: its first processing may have stopped before it changed everything.
                ConditionExpression: 'attribute_not_exists(pk) OR #at < :at OR messageId = :id',
                ExpressionAttributeNames: { '#at': 'at' },
                ExpressionAttributeValues: { ':at': event.at, ':id': event.messageId },
              },
            },
            // Keyed by time and message: recording the same message again rewrites the same item.
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.optOutEvent(event.phone, event.at, event.messageId),
                  type: ENTITY.optOutEvent,
                  ...event,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      throw error;
    }
  }

  async isOptedOut(phone: string): Promise<boolean> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.optOutState(phone),
        ProjectionExpression: 'optedOut',
      }),
    );
    return result.Item?.optedOut === true;
  }
}
