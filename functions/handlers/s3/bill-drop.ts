// bill-drop: S3's events for bill files dropped under bills/incoming/, as the bill drop queue delivers them.
import { importBillDrop } from '#app/bill-drop';
import { readBillDropEvent } from '#contracts/bill-drop-event';
import { lambdaDeps } from '../lambda-deps.ts';
import { logger } from '../observability.ts';
import { lambdaSqsHandler, type RecordHandler } from '../sqs/sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  for (const drop of readBillDropEvent(record.body)) {
    const result = await importBillDrop(deps, drop);
    logger.info('Bill drop', { ...drop, ...result });
  }
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
