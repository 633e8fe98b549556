// ComplaintStore on the single table: one item per complaint (the record under `complaint`), its tracking-code
// claim, and three sparse index entries kept in step with its status, deadline and account.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ComplaintStore, ComplaintWrite, Page, PageRequest } from '#app/ports';
import { type Complaint, type ComplaintStatus, isOpen } from '#domain/complaint';
import { listCursors, queryPage } from './cursor.ts';
import { ENTITY, keys } from './keys.ts';

/** The item of a complaint at `version`: the record, and the index keys its state calls for. */
function itemOf(complaint: Complaint, version: number): Record<string, unknown> {
  const { version: _ignored, ...record } = complaint;
  const watched = isOpen(complaint.status) && complaint.slaBreachedAt === undefined;
  return {
    ...keys.complaint(complaint.id),
    type: ENTITY.complaint,
    version,
    complaint: record,
    ...keys.complaintQueue(complaint.district, complaint.status, complaint.createdAt, complaint.id),
    ...(watched ? keys.complaintSlaWatch(complaint.district, complaint.dueAt, complaint.id) : {}),
    ...(complaint.accountNumber
      ? keys.complaintByAccount(complaint.accountNumber, complaint.createdAt, complaint.id)
      : {}),
  };
}

function complaintOf(item: Record<string, unknown>): Complaint {
  // Written only by itemOf from a checked Complaint: the record is read back as it was written.
  return { ...(item.complaint as Omit<Complaint, 'version'>), version: Number(item.version) };
}

export class DynamoComplaintStore implements ComplaintStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(complaint: Complaint): Promise<'created' | 'code-taken'> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.complaintTracking(complaint.trackingCode),
                  type: ENTITY.complaintTracking,
                  complaintId: complaint.id,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: itemOf(complaint, 1),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return 'code-taken';
      }
      throw error;
    }
  }

  async get(id: string): Promise<Complaint | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.complaint(id), ConsistentRead: true }),
    );
    return result.Item ? complaintOf(result.Item) : undefined;
  }

  async getByTrackingCode(trackingCode: string): Promise<Complaint | undefined> {
    const claim = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.complaintTracking(trackingCode),
        ConsistentRead: true,
      }),
    );
    const id = claim.Item?.complaintId;
    return typeof id === 'string' ? this.get(id) : undefined;
  }

  async update(writes: ComplaintWrite[]): Promise<boolean> {
    if (writes.length === 0) return true;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: writes.map(({ complaint, expectedVersion }) => ({
            Put: {
              TableName: this.table,
              Item: itemOf(complaint, expectedVersion + 1),
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          })),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const lost = error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed');
        if (lost) return false;
      }
      throw error;
    }
  }

  async listQueue(
    district: string,
    status: ComplaintStatus,
    page: PageRequest & { from?: string; to?: string },
  ): Promise<Page<Complaint>> {
    // Sort keys are "<createdAt>#<id>": "#" sorts before any digit, "~" after, so the bounds take whole instants.
    const range =
      page.from && page.to
        ? {
            condition: ' AND gsi1sk BETWEEN :from AND :to',
            values: { ':from': page.from, ':to': `${page.to}#` },
          }
        : page.from
          ? { condition: ' AND gsi1sk >= :from', values: { ':from': page.from } }
          : page.to
            ? { condition: ' AND gsi1sk < :to', values: { ':to': page.to } }
            : { condition: '', values: {} };
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: `gsi1pk = :pk${range.condition}`,
        ExpressionAttributeValues: { ':pk': keys.complaintQueuePartition(district, status), ...range.values },
      },
      { limit: page.limit, cursor: page.cursor },
      {
        ...listCursors.complaintQueue,
        startKey: ({ at, id }) => ({
          ...keys.complaint(id),
          ...keys.complaintQueue(district, status, at, id),
        }),
        positionOf: (item) => {
          const complaint = complaintOf(item);
          return { at: complaint.createdAt, id: complaint.id };
        },
      },
    );
    // BETWEEN includes `to#`, which no key equals; a key at exactly `to` sorts before it and is dropped here.
    const items = result.items.map(complaintOf).filter((c) => !page.to || c.createdAt < page.to);
    return { items, cursor: result.cursor };
  }

  async listPastDue(district: string, dueBefore: string, page: PageRequest): Promise<Page<Complaint>> {
    const result = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pk': keys.complaintSlaPartition(district), ':before': dueBefore },
      },
      page,
      {
        ...listCursors.complaintQueue,
        startKey: ({ at, id }) => ({ ...keys.complaint(id), ...keys.complaintSlaWatch(district, at, id) }),
        positionOf: (item) => {
          const complaint = complaintOf(item);
          return { at: complaint.dueAt, id: complaint.id };
        },
      },
    );
    return { items: result.items.map(complaintOf), cursor: result.cursor };
  }

  async listByAccount(accountNumber: string, since: string, limit: number): Promise<Complaint[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk >= :since',
        ExpressionAttributeValues: { ':pk': keys.complaintAccountPartition(accountNumber), ':since': since },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(complaintOf);
  }
}
