// notice-plan: consumes the planner queue, one page of one fan-out shard of a notice run per message.
import { planNoticePage } from '#app/notice-runs';
import { readNoticePlanPage } from '#contracts/notice-plan';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  await planNoticePage(deps, readNoticePlanPage(record.body));
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
