// notice-send: consumes the notice queue; a delivery's notices are read, sent and recorded together.
import type { SQSRecord } from 'aws-lambda';
import { type SendResult, sendNotices } from '#app/notice-sender';
import type { Deps } from '#app/ports';
import { type NoticeJob, readNoticeJob } from '#contracts/notice-job';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

/**
 * A delivery is sent as one: its sources read in one batch, its notices side by side, their outcomes recorded in
 * one write. Each record's handler awaits its own job's result from the delivery's one run.
 */
const resultsOfBatch = new WeakMap<readonly SQSRecord[], Promise<Map<string, SendResult | Error>>>();

function resultsFor(batch: readonly SQSRecord[], deps: Deps): Promise<Map<string, SendResult | Error>> {
  let results = resultsOfBatch.get(batch);
  if (!results) {
    results = sendBatch(batch, deps);
    resultsOfBatch.set(batch, results);
  }
  return results;
}

async function sendBatch(batch: readonly SQSRecord[], deps: Deps): Promise<Map<string, SendResult | Error>> {
  const results = new Map<string, SendResult | Error>();
  const jobs: Array<{ messageId: string; job: NoticeJob }> = [];
  for (const record of batch) {
    try {
      jobs.push({ messageId: record.messageId, job: readNoticeJob(record.body) });
    } catch (error) {
      // A body that is no job fails on its own, into the dead-letter queue; the others go on.
      results.set(record.messageId, error as Error);
    }
  }
  try {
    const sources = await deps.noticeSources.read(jobs.map((j) => j.job));
    const sent = await sendNotices(
      deps,
      jobs.map((j) => j.job),
      sources,
    );
    jobs.forEach(({ messageId }, i) => {
      results.set(messageId, sent[i] ?? new Error('no result'));
    });
  } catch (error) {
    // The batch read or the record failed: every job of the delivery is tried again (a sent one is recognised).
    for (const { messageId } of jobs) results.set(messageId, error as Error);
  }
  return results;
}

export const handleRecord: RecordHandler = async (record, deps, batch) => {
  const result = (await resultsFor(batch, deps)).get(record.messageId);
  if (result instanceof Error) throw result;
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
