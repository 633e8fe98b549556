// POST /_local/billing/drop: drops a bills CSV into the local billing exchange and imports it as BillDrop does in AWS.
import { readFile } from 'node:fs/promises';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { LocalBillingExchange } from '#adapters/local/local-billing-exchange';
import { importBillDrop } from '#app/bill-drop';
import type { Deps } from '#app/ports';
import { AppError } from '#domain/errors';
import { problemResponse, STATUS_OF_KIND } from '#handlers/http/problem';

const PATH = '/_local/billing/drop';

/** A plain file name (no folders), as the utility's system would name its drop; .csv, or S3 would send no event. */
const dropName = z
  .string()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,120}\.csv$/iu, 'a file name ending in .csv, without folders');

const rejectRows = z.array(z.object({ line: z.coerce.number(), reason: z.string() }));

/** The answer to a request for the bill drop tool, or undefined for any other path. */
export async function localBillDropTool(
  deps: Deps,
  exchange: LocalBillingExchange,
  method: string,
  url: URL,
  body: Buffer,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  if (url.pathname !== PATH) return undefined;
  if (method !== 'POST') {
    return problemResponse(405, 'method-not-allowed', `${method} is not allowed on ${PATH}.`, {
      headers: { allow: 'POST' },
    });
  }
  const name = dropName.safeParse(url.searchParams.get('name') ?? 'bills.csv');
  if (!name.success) {
    return problemResponse(400, 'validation-error', 'name is the file name of the drop, e.g. 2026-03.csv.', {
      extensions: { errors: [{ field: 'query.name', message: name.error.issues[0]?.message ?? 'invalid' }] },
    });
  }
  if (body.length === 0) {
    return problemResponse(
      400,
      'validation-error',
      'The body is the bills CSV file, as `ops import bills` takes it.',
      {
        extensions: { errors: [{ field: 'body', message: 'empty' }] },
      },
    );
  }
  const drop = await exchange.drop(name.data, body);
  try {
    const result = await importBillDrop({ ...deps, billDropFiles: exchange }, drop);
    if (result.outcome === 'ignored') return problemResponse(400, 'validation-error', result.reason);
    const { summary } = result;
    const rejects = summary.rejects
      ? rejectRows.parse(parse(await readFile(summary.rejects, 'utf8'), { columns: true, bom: true }))
      : [];
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        outcome: result.outcome,
        key: drop.key,
        version: drop.version,
        ...summary,
        rejects,
        rejectsFile: summary.rejects,
        processedFile: `${exchange.dir}/bills/processed/${name.data}`,
      }),
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return problemResponse(STATUS_OF_KIND[error.kind], error.type, error.message, { instance: PATH });
  }
}
