// The local tools' one body reader: JSON checked against a schema, or the 400 problem+json that names what is wrong.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { problemResponse } from '#handlers/http/problem';

export type LocalBody<T> =
  | { ok: true; value: T }
  | { ok: false; response: APIGatewayProxyStructuredResultV2 };

/** The body read as JSON and checked; a malformed or invalid one answers 400 with `detail` and the fields. */
export function readLocalJson<S extends z.ZodType>(
  body: Buffer,
  schema: S,
  detail: string,
): LocalBody<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8') || 'null');
  } catch (error) {
    return {
      ok: false,
      response: problemResponse(
        400,
        'malformed-json',
        `The body is not valid JSON: ${(error as Error).message}`,
      ),
    };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    response: problemResponse(400, 'validation-error', detail, {
      extensions: {
        errors: parsed.error.issues.map((issue) => ({
          field: ['body', ...issue.path.map(String)].join('.'),
          message: issue.message,
        })),
      },
    }),
  };
}
