// What every Open311 route shares: the format from the file name, and errors as the spec's list in that format.
import { AppError, NotFoundError, ValidationError } from '#domain/errors';
import { OPEN311_FORMATS, type Open311Format } from '#domain/open311';
import { type Open311Document, renderOpen311 } from '#domain/open311-document';
import { open311FieldName } from '#domain/open311-form';
import type { HttpResult } from './http-handler.ts';
import { STATUS_OF_KIND } from './problem.ts';

/** "<name>.<json|xml>" split; undefined for any other extension. */
function fileOf(file: string): { name: string; format: Open311Format } | undefined {
  const dot = file.lastIndexOf('.');
  const format = file.slice(dot + 1).toLowerCase();
  if (dot <= 0 || !(OPEN311_FORMATS as readonly string[]).includes(format)) return undefined;
  return { name: file.slice(0, dot), format: format as Open311Format };
}

function documentResult(document: Open311Document, format: Open311Format, status: number): HttpResult {
  const { contentType, text } = renderOpen311(document, format);
  return { status, document: { contentType, text } };
}

/** An AppError as the spec's error list: one entry per field problem, each with the HTTP status as its code. */
function errorResult(error: AppError, format: Open311Format): HttpResult {
  const status = STATUS_OF_KIND[error.kind];
  const items =
    error instanceof ValidationError && error.problems.length > 0
      ? error.problems.map((p) => ({
          code: status,
          description: `${open311FieldName(p.field)}: ${p.message}`,
        }))
      : [{ code: status, description: error.message }];
  const result = documentResult({ kind: 'errors', items }, format, status);
  return error.retryAfterSeconds === undefined
    ? result
    : { ...result, headers: { 'retry-after': String(error.retryAfterSeconds) } };
}

/**
 * Runs an Open311 route for `file`: its format from the extension (404 in XML, the spec's required format, for any
 * other), `work` for the name, and every AppError rendered as an error list in the asked format, never problem+json.
 */
export async function answerOpen311(
  file: string,
  work: (name: string, format: Open311Format) => Promise<{ document: Open311Document; status?: number }>,
): Promise<HttpResult> {
  const parsed = fileOf(file);
  if (!parsed) {
    return errorResult(new NotFoundError('unknown-format', 'Ask for .xml or .json.'), 'xml');
  }
  try {
    const { document, status } = await work(parsed.name, parsed.format);
    return documentResult(document, parsed.format, status ?? 200);
  } catch (error) {
    if (error instanceof AppError) return errorResult(error, parsed.format);
    throw error;
  }
}

/** The answer for a name no Open311 resource has at this place. */
export function unknownResource(name: string): never {
  throw new NotFoundError('unknown-resource', `There is no Open311 resource "${name}" here.`);
}
