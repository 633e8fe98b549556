// notice-plan: consumes the planner queue: one page of one fan-out shard of a notice run per message, or an
// announcement whose one-time schedule fired.
import { startAnnouncementRun } from '#app/announcements';
import { planNoticePage } from '#app/notice-runs';
import { readNoticePlanMessage } from '#contracts/notice-plan';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  const message = readNoticePlanMessage(record.body);
  if (message.type === 'page') await planNoticePage(deps, message.page);
  else await startAnnouncementRun(deps, message.id);
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
