// bill-sweep: consumes the bill sweep queue: one page of one fan-out shard of the unpaid bills due on a date.
import { markOverdue } from '#app/overdue';
import { readBillSweepPage } from '#contracts/bill-sweep';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  await markOverdue(deps, readBillSweepPage(record.body));
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
