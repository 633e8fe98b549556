// AnnouncementStore on the single table: one item per announcement, written once with a copy in each district's list.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AnnouncementStore, Page, PageRequest } from '#app/ports';
import {
  ANNOUNCEMENT_MAX_DISTRICTS,
  type Announcement,
  announcementSchema,
  PUBLIC_ANNOUNCEMENT_DAYS,
} from '#domain/announcement';
import { listCursors, queryPage } from './cursor.ts';
import { ENTITY, keys, stripInternalKeys, ttlSeconds } from './keys.ts';
import { transact } from './transact.ts';

/** A district's copy outlives the public list's reach by a day, so TTL's lag never shortens the list. */
const COPY_RETENTION_MS = (PUBLIC_ANNOUNCEMENT_DAYS + 1) * 86_400_000;

const parse = (item: Record<string, unknown>) => announcementSchema.parse(stripInternalKeys(item));

export class DynamoAnnouncementStore implements AnnouncementStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The announcement and its district copies in one transaction: a district's list never shows one that was not
   * stored, nor misses one that was. The copies carry the whole announcement, so a list is one Query.
   */
  async create(announcement: Announcement): Promise<{ announcement: Announcement; created: boolean }> {
    if (announcement.districts.length > ANNOUNCEMENT_MAX_DISTRICTS) {
      throw new Error(`An announcement names at most ${ANNOUNCEMENT_MAX_DISTRICTS} districts`);
    }
    const { id, sendAt } = announcement;
    const retainUntil = ttlSeconds(new Date(sendAt).getTime() + COPY_RETENTION_MS);
    const items = [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.announcement(id),
            ...keys.announcementBySendAt(sendAt, id),
            type: ENTITY.announcement,
            ...announcement,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...announcement.districts.map((district) => ({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.districtAnnouncement(district, sendAt, id),
            type: ENTITY.districtAnnouncement,
            ttl: retainUntil,
            ...announcement,
          },
        },
      })),
    ];
    // A form submitted twice at once (the same Idempotency-Key) makes two identical transactions: DynamoDB cancels
    // one, as a conflict or (once the other is in) a failed condition. It is the same announcement: when the other
    // is stored, this one answers it; otherwise the cancellation stands.
    try {
      await transact(this.client, items);
      return { announcement, created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const stored = await this.get(id);
      if (!stored) throw error;
      return { announcement: stored, created: false };
    }
  }

  async get(id: string): Promise<Announcement | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.announcement(id), ConsistentRead: true }),
    );
    return result.Item ? parse(result.Item) : undefined;
  }

  async sentBetween(query: {
    district?: string;
    from: string;
    to: string;
    limit: number;
  }): Promise<Announcement[]> {
    // Sort keys are "<sendAt>#<id>" with ISO instants in UTC: text order is time order.
    const range = { ':from': query.from, ':to': `${query.to}#\uffff` };
    const result = await this.client.send(
      new QueryCommand(
        query.district === undefined
          ? {
              TableName: this.table,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
              ExpressionAttributeValues: { ':pk': keys.announcementsPartition(), ...range },
              ScanIndexForward: false,
              Limit: query.limit,
            }
          : {
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: {
                ':pk': keys.districtAnnouncementPartition(query.district),
                ...range,
              },
              ScanIndexForward: false,
              Limit: query.limit,
            },
      ),
    );
    return (result.Items ?? []).map(parse);
  }

  async list(page: PageRequest): Promise<Page<Announcement>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.announcementsPartition() },
        ScanIndexForward: false,
      },
      page,
      {
        ...listCursors.announcements,
        startKey: ({ sendAt, id }) => ({
          ...keys.announcement(id),
          ...keys.announcementBySendAt(sendAt, id),
        }),
        positionOf: (item) => ({ sendAt: String(item.sendAt), id: String(item.id) }),
      },
    );
    return { items: result.items.map(parse), cursor: result.cursor };
  }
}
