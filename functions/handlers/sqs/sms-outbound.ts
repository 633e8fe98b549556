// sms-outbound: consumes the outbound queue and sends each queued SMS or e-mail through the configured provider, once.
import { deliverQueued } from '#app/outbound';
import { readOutboundJob } from '#contracts/outbound-message';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  await deliverQueued(deps, readOutboundJob(record.body));
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
