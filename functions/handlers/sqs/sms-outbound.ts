// sms-outbound: consumes the outbound SMS queue and sends each queued SMS through the configured provider, once.
import { deliverQueuedSms } from '#app/outbound';
import { readOutboundSmsJob } from '#contracts/outbound-sms';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  await deliverQueuedSms(deps, readOutboundSmsJob(record.body).id);
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
