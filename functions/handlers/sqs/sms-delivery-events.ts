// sms-delivery-events: consumes the delivery events queue (End User Messaging -> SNS -> SQS, and gateway reports).
import { recordSmsDelivery } from '#app/notice-delivery';
import { readSmsDeliveryEvent } from '#contracts/sms-delivery-event';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  await recordSmsDelivery(deps, readSmsDeliveryEvent(record.body));
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
