// SQS records as Lambda receives them: from the inbound queue (an SMS in its SNS envelope) and the outbound queue.
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { InboundSms } from '#app/ports';
import { snsEnvelopeFor } from '#contracts/inbound-sms';

let sequence = 0;

export function inboundRecord(sms: Omit<InboundSms, 'sentAt'>, sentAt: Date): SQSRecord {
  sequence++;
  return {
    messageId: `sqs-${sequence}`,
    receiptHandle: `r-${sequence}`,
    body: snsEnvelopeFor(sms, 'arn:aws:sns:ap-northeast-2:123456789012:inbound', sentAt),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(sentAt.getTime()),
      SenderId: 'sns',
      ApproximateFirstReceiveTimestamp: String(sentAt.getTime()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:inbound',
    awsRegion: 'ap-northeast-2',
  };
}

export const inboundEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** An SQS record as Lambda receives it from the outbound queue: a job written by its contract. */
export function outboundRecord(body: string, sentAt: Date): SQSRecord {
  const record = inboundRecord({ messageId: 'unused', from: '', to: '', body: '' }, sentAt);
  return {
    ...record,
    body,
    eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:outbound',
  };
}
