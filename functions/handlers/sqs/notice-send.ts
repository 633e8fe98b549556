// notice-send: consumes the notice queue; a delivery's subscriptions, accounts and bills are read in one batch.
import type { SQSRecord } from 'aws-lambda';
import { sendNotice } from '#app/notice-sender';
import type { Deps, NoticeSources } from '#app/ports';
import { readNoticeJob } from '#contracts/notice-job';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

/** One read per delivery, shared by its records (which run side by side). */
const sourcesOfBatch = new WeakMap<readonly SQSRecord[], Promise<NoticeSources>>();

function sourcesFor(batch: readonly SQSRecord[], deps: Deps): Promise<NoticeSources> {
  let sources = sourcesOfBatch.get(batch);
  if (!sources) {
    // A body that is no job fails on its own record below; the others are read all the same.
    const jobs = batch.flatMap((record) => {
      try {
        return [readNoticeJob(record.body)];
      } catch {
        return [];
      }
    });
    sources = deps.noticeSources.read(jobs);
    sourcesOfBatch.set(batch, sources);
    // A failed read is not kept: each record's retry reads again.
    sources.catch(() => sourcesOfBatch.delete(batch));
  }
  return sources;
}

export const handleRecord: RecordHandler = async (record, deps, batch) => {
  const job = readNoticeJob(record.body);
  await sendNotice(deps, job, await sourcesFor(batch, deps));
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
