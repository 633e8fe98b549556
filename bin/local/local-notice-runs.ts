// POST /_local/notice-runs: starts (or plans again) a notice run in the local runtime, as `ops notices run` does in AWS.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { RUN_KINDS_BY_PERIOD, startRunByHand } from '#app/cycle-notice-runs';
import type { Deps } from '#app/ports';
import { AppError } from '#domain/errors';
import { problemResponse, STATUS_OF_KIND } from '#handlers/http/problem';
import { readLocalJson } from './local-json.ts';

const PATH = '/_local/notice-runs';

const bodySchema = z.strictObject({
  /** bill, or a billing cycle kind (reading-window, due-reminder, leak-check, auto-pay-result). */
  kind: z.enum(RUN_KINDS_BY_PERIOD as [string, ...string[]]),
  period: z.string(),
  /** Plan an existing run again (what the ops command does); false leaves a started run alone, as a schedule does. */
  restart: z.boolean().default(true),
});

/** The answer to a request for the notice-runs tool, or undefined for any other path. */
export async function localNoticeRunTool(
  deps: Deps,
  method: string,
  path: string,
  body: Buffer,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  if (path !== PATH) return undefined;
  if (method !== 'POST') {
    return problemResponse(405, 'method-not-allowed', `${method} is not allowed on ${path}.`, {
      headers: { allow: 'POST' },
    });
  }
  const read = readLocalJson(
    body,
    bodySchema,
    `A notice run needs kind (${RUN_KINDS_BY_PERIOD.join(', ')}) and period (YYYY-MM).`,
  );
  if (!read.ok) return read.response;
  try {
    const result = await startRunByHand(deps, read.value);
    return {
      statusCode: 202,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        runId: result.runId,
        started: result.started,
        status: result.run.status,
        starts: result.run.starts,
        resumeAt: result.resumeAt,
      }),
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return problemResponse(STATUS_OF_KIND[error.kind], error.type, error.message, {
      instance: path,
      extensions: error.extensions,
    });
  }
}
