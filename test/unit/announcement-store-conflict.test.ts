// What DynamoDB Local never does but DynamoDB does: two identical announcement transactions at the same moment
// (one form sent twice) and one of them cancelled as a TransactionConflict.
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAnnouncementStore } from '#adapters/dynamo/announcement-store';
import type { Announcement } from '#domain/announcement';

const announcement: Announcement = {
  id: 'Zb3kq9Yt2mXc8Rw1Pq4sLg',
  kind: 'outage',
  districts: ['tmn-central'],
  texts: { ru: 'Отключение 15 декабря', en: 'Outage on 15 December' },
  sendAt: '2026-12-14T09:00:00+05:00',
  createdAt: '2026-12-14T09:00:00+05:00',
  createdBy: 'admin-1',
  requestDigest: 'digest',
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const dynamo = mockClient(DynamoDBDocumentClient);
let store: DynamoAnnouncementStore;

beforeEach(() => {
  dynamo.reset();
  store = new DynamoAnnouncementStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');
});

describe('creating an announcement while the same one is being written', () => {
  it('answers the stored announcement when its own write lost to the identical one', async () => {
    // The other request's transaction won: this one is cancelled as a conflict, then (tried again) finds it there.
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejects(cancelled('ConditionalCheckFailed', 'None'));
    dynamo.on(GetCommand).resolves({ Item: { pk: 'x', sk: 'y', ...announcement } });
    await expect(store.create(announcement)).resolves.toEqual({ announcement, created: false });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('writes it on a retry when the conflict was with something else and nothing is stored yet', async () => {
    // A conflict with another writer of a district list: nothing of this announcement was stored, so it tries again.
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    dynamo.on(GetCommand).resolves({});
    await expect(store.create(announcement)).resolves.toEqual({ announcement, created: true });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('gives up after four conflicts rather than retrying for ever', async () => {
    // A hot list: the request fails (and is retried by its caller) instead of holding the function.
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict'));
    dynamo.on(GetCommand).resolves({});
    await expect(store.create(announcement)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });
});
