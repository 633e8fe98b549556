// sms-inbound: consumes the inbound SMS queue (End User Messaging -> SNS -> SQS) and acts on each message.
import { handleInboundSms } from '#app/inbound-sms';
import { readInboundSms } from '#contracts/inbound-sms';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  // Without an SNS envelope, SQS's own send time stands in for when the resident sent it.
  const sent = new Date(Number(record.attributes.SentTimestamp) || deps.clock.now().getTime());
  await handleInboundSms(deps, readInboundSms(record.body, sent));
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
