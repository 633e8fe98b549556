// The SQS wrapper every queue consumer uses: one record at a time, partial batch failures reported.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Deps } from '#app/ports';
import { businessMetrics, logger, tracing } from '../observability.ts';

/** Handles one record; `batch` is every record of its delivery, for a handler that reads what they need at once. */
export type RecordHandler = (record: SQSRecord, deps: Deps, batch: readonly SQSRecord[]) => Promise<void>;

/** Runs a batch; the records that threw are returned as failures, so SQS redelivers only those. */
export async function runSqsBatch(
  handleRecord: RecordHandler,
  event: SQSEvent,
  getDeps: () => Promise<Deps>,
): Promise<SQSBatchResponse> {
  const deps = await getDeps();
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      try {
        await handleRecord(record, deps, event.Records);
      } catch (error) {
        logger.warn('Record failed; SQS will redeliver it', {
          messageId: record.messageId,
          error: error as Error,
        });
        throw error;
      }
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
}

/** The Lambda entrypoint for a consumer: middy with the tracer, the metrics and the logger, then runSqsBatch. */
export function lambdaSqsHandler(handleRecord: RecordHandler, getDeps: () => Promise<Deps>) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(tracing())
    .use(businessMetrics())
    .use(injectLambdaContext(logger))
    .handler((event) => runSqsBatch(handleRecord, event, getDeps));
}
