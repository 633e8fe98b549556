// OptOutStore on the single table: the phone's current opt-out state plus one event item per STOP/START.
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { OptOutEvent, OptOutStore } from '#app/ports';
import { ENTITY, keys } from './keys.ts';

export class DynamoOptOutStore implements OptOutStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(event: OptOutEvent): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.optOutState(event.phone), type: ENTITY.optOutState, ...event },
            },
          },
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
