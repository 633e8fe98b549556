// AnnouncementStore on the single table: one item per announcement, written once.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AnnouncementStore } from '#app/ports';
import { type Announcement, announcementSchema } from '#domain/announcement';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

export class DynamoAnnouncementStore implements AnnouncementStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(announcement: Announcement): Promise<{ announcement: Announcement; created: boolean }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.announcement(announcement.id), type: ENTITY.announcement, ...announcement },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { announcement, created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const stored = await this.get(announcement.id);
    if (!stored) throw new Error(`Announcement ${announcement.id} vanished while being created`);
    return { announcement: stored, created: false };
  }

  async get(id: string): Promise<Announcement | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.announcement(id), ConsistentRead: true }),
    );
    return result.Item ? announcementSchema.parse(stripInternalKeys(result.Item)) : undefined;
  }
}
