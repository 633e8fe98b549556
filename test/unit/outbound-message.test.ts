// The outbound queue's contract (both versions) and the rules by purpose its sender and the SMS sender apply.
import { describe, expect, it } from 'vitest';
import { outboundMessageBody, readOutboundJob } from '#contracts/outbound-message';
import {
  honoursOptOuts,
  type OutboundPurpose,
  QUEUED_PURPOSES,
  waitsOutQuietHours,
} from '#domain/outbound-purpose';

const ID = '3f2b8c1e-7a4d-4e2f-9b6a-1c0d2e3f4a5b';

describe('the outbound queue message', () => {
  it('names the outbox item and its channel, and nothing a person could be recognised by', () => {
    expect(JSON.parse(outboundMessageBody({ kind: 'email', id: ID }))).toEqual({
      v: 2,
      kind: 'email',
      id: ID,
    });
    expect(readOutboundJob(outboundMessageBody({ kind: 'sms', id: ID }))).toEqual({ kind: 'sms', id: ID });
  });

  // A code queued by a function of the previous release, while this one was being deployed, waits in the queue
  // in version 1: the new consumer must still send it.
  it('still reads a version 1 body, as an SMS', () => {
    expect(readOutboundJob(JSON.stringify({ v: 1, kind: 'sms', id: ID }))).toEqual({ kind: 'sms', id: ID });
  });

  it('refuses anything else: an e-mail in version 1, an unknown channel or version, a phone number, no uuid', () => {
    for (const body of [
      { v: 1, kind: 'email', id: ID },
      { v: 2, kind: 'fax', id: ID },
      { v: 3, kind: 'sms', id: ID },
      { v: 2, kind: 'sms', id: ID, to: '+821012345678' },
      { v: 2, kind: 'sms', id: 'not-a-uuid' },
    ]) {
      expect(() => readOutboundJob(JSON.stringify(body)), JSON.stringify(body)).toThrow();
    }
  });
});

describe('what holds a message back, by purpose', () => {
  // A resident who texted STOP and then HELP must still get the answer; a notice to them must not go out.
  it('opt-outs hold back notices only: codes, replies, reading confirmations and complaint news still go', () => {
    const purposes: OutboundPurpose[] = [
      'otp',
      'reply',
      'reading-confirmation',
      'notice',
      'complaint-update',
      'complaint-sla',
    ];
    expect(purposes.filter(honoursOptOuts)).toEqual(['notice', 'complaint-update']);
  });

  it('the outbound queue carries codes, replies, reading confirmations and complaint news, never a notice', () => {
    expect([...QUEUED_PURPOSES].sort()).toEqual([
      'complaint-sla',
      'complaint-update',
      'otp',
      'reading-confirmation',
      'reply',
    ]);
  });

  // A resident's complaint update made at 23:00 waits for the morning; the office's SLA alert goes at once.
  it('of the queued purposes, only complaint updates wait out the quiet hours (their use case holds them)', () => {
    expect(QUEUED_PURPOSES.filter(waitsOutQuietHours)).toEqual(['complaint-update']);
  });
});
