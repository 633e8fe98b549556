// The HTTP wrapper every route uses: body limits, JSON, zod at the edge, auth, and problem+json.

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { authenticate } from '#app/auth';
import type { Deps } from '#app/ports';
import { authorizeStaff } from '#app/staff-access';
import { AppError, type FieldProblem, ForbiddenError, ValidationError } from '#domain/errors';
import type { StaffPrincipal } from '#domain/staff';
import type { TokenClaims } from '#domain/token';
import { businessMetrics, logger, tracing } from '../observability.ts';
import { problemResponse, STATUS_OF_KIND } from './problem.ts';

export const MAX_BODY_BYTES = 64 * 1024;

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;
type AuthMode = 'none' | 'account' | 'token' | 'staff';

export interface RouteInput<B, P, Q, A extends AuthMode = AuthMode> {
  body: B;
  params: P;
  query: Q;
  /** Present on routes with `auth` 'account' or 'token': the verified token's claims. */
  claims: TokenClaims | undefined;
  /** On routes with `auth` 'staff': who is calling, with the roles and districts their groups give. */
  staff: A extends 'staff' ? StaffPrincipal : undefined;
  /** The body bytes as sent, on routes with `rawBody: true` (undefined elsewhere). */
  rawBody: Buffer | undefined;
  /** A request header by name, case-insensitive. */
  header(name: string): string | undefined;
  /** The address the request came from, as API Gateway saw it: what per-client limits count. */
  client: string;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * A body that is not JSON (a printable page, a PDF), sent as it is with its content type instead of `body`.
   * Bytes go base64-encoded with isBase64Encoded, which API Gateway turns back into bytes.
   */
  document?: { contentType: string; text?: string; bytes?: Buffer };
}

export interface HttpRoute<
  B extends Schema | undefined = Schema | undefined,
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  A extends AuthMode = AuthMode,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway route path, e.g. /accounts/{accountNumber}/bills. */
  path: string;
  /**
   * 'account': an account token for the {accountNumber} in the path. 'token': any valid token,
   * whose claims the use case checks (e.g. an account's or a subscription's own token).
   * 'staff': a staff member's access token, verified by API Gateway's JWT authorizer (the staff user pool)
   * before the function runs; the route reads its claims. Staff routes, and only they, start with /admin/.
   */
  auth: A;
  body?: B;
  /**
   * Hands the body to run() as bytes, unparsed and of any content type (a webhook whose signature covers
   * the exact bytes, or that posts a form). Only the size limit applies. Excludes `body`.
   */
  rawBody?: true;
  params?: P;
  query?: Q;
  run(input: RouteInput<Infer<B>, Infer<P>, Infer<Q>, A>, deps: Deps): Promise<HttpResult>;
}

export function defineRoute<
  B extends Schema | undefined,
  P extends Schema | undefined,
  Q extends Schema | undefined,
  A extends AuthMode,
>(route: HttpRoute<B, P, Q, A>): HttpRoute {
  return route as unknown as HttpRoute;
}

function problemsOf(error: z.ZodError, where: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function parsePart<S extends Schema | undefined>(schema: S, value: unknown, where: string): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(`The request ${where} is not valid.`, problemsOf(result.error, where));
  }
  return result.data as Infer<S>;
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The body bytes, refused over the size limit. */
function readBodyBytes(event: APIGatewayProxyEventV2): Buffer {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new AppError(
      'too-large',
      'payload-too-large',
      `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
      {
        limitBytes: MAX_BODY_BYTES,
      },
    );
  }
  return bytes;
}

function readJsonBody(event: APIGatewayProxyEventV2, bytes: Buffer, expectsBody: boolean): unknown {
  if (!expectsBody) return undefined;
  const contentType = header(event, 'content-type');
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new AppError(
      'unsupported-media-type',
      'unsupported-media-type',
      'Send the body as application/json.',
    );
  }
  if (bytes.length === 0) {
    throw new ValidationError(
      'The request needs a JSON body.',
      [{ field: 'body', message: 'missing' }],
      'malformed-json',
    );
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ValidationError(
      `The body is not valid JSON: ${(error as Error).message}`,
      [],
      'malformed-json',
    );
  }
}

/** Where API Gateway's JWT authorizer puts a verified token's claims in the v2 event. */
const jwtAuthorizerContext = z.object({
  authorizer: z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }) }),
});

/** The caller of a staff route, from the authorizer's claims (401 without them, 403 without a staff role). */
function staffOf(event: APIGatewayProxyEventV2, deps: Deps): StaffPrincipal {
  const context = jwtAuthorizerContext.safeParse(event.requestContext);
  const { principal, ignoredDistrictGroups } = authorizeStaff(
    deps.config,
    context.success ? context.data.authorizer.jwt.claims : undefined,
  );
  if (ignoredDistrictGroups.length > 0) {
    // A group for a district the config no longer (or never) had: it widens nothing, but someone should
    // remove the group or add the district.
    logger.warn('Staff token names district groups the utility does not have; ignored', {
      subject: principal.subject,
      groups: ignoredDistrictGroups,
    });
  }
  return principal;
}

function toProblem(error: unknown, event: APIGatewayProxyEventV2): APIGatewayProxyStructuredResultV2 {
  const extras = { instance: event.rawPath, requestId: event.requestContext?.requestId };
  if (error instanceof AppError) {
    const retry =
      error.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(error.retryAfterSeconds) };
    return problemResponse(STATUS_OF_KIND[error.kind], error.type, error.message, {
      ...extras,
      extensions: error.extensions,
      headers: retry,
    });
  }
  logger.error('Unhandled error', { error: error as Error, path: event.rawPath });
  return problemResponse(
    500,
    'internal-error',
    'Something went wrong on our side; please try again later.',
    extras,
  );
}

function documentResponse(
  result: HttpResult,
  document: NonNullable<HttpResult['document']>,
): APIGatewayProxyStructuredResultV2 {
  const headers = {
    'content-type': document.contentType,
    'cache-control': 'no-store',
    // The type is ours, not a guess: a browser must not sniff a page out of a PDF.
    'x-content-type-options': 'nosniff',
    ...result.headers,
  };
  if (document.bytes) {
    return {
      statusCode: result.status,
      headers,
      body: document.bytes.toString('base64'),
      isBase64Encoded: true,
    };
  }
  return { statusCode: result.status, headers, body: document.text ?? '' };
}

/** Runs one route for one API Gateway v2 event. Never throws: every failure becomes problem+json. */
export async function runRoute(
  route: HttpRoute,
  event: APIGatewayProxyEventV2,
  getDeps: () => Promise<Deps>,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const bytes = readBodyBytes(event);
    const json = route.rawBody ? undefined : readJsonBody(event, bytes, route.body !== undefined);
    const deps = await getDeps();
    let claims: TokenClaims | undefined;
    let staff: StaffPrincipal | undefined;
    if (route.auth === 'staff') {
      staff = staffOf(event, deps);
    } else if (route.auth !== 'none') {
      claims = authenticate(deps, header(event, 'authorization'));
    }
    if (route.auth === 'account' && claims) {
      if (claims.scope !== 'account' || event.pathParameters?.accountNumber !== claims.sub) {
        throw new ForbiddenError('forbidden-account', 'This token was issued for another account.');
      }
    }
    const params = parsePart(route.params, event.pathParameters ?? {}, 'path');
    const query = parsePart(route.query, event.queryStringParameters ?? {}, 'query');
    const body = parsePart(route.body, json, 'body');
    const result = await route.run(
      {
        body,
        params,
        query,
        claims,
        staff,
        rawBody: route.rawBody ? bytes : undefined,
        header: (name) => header(event, name),
        client: event.requestContext?.http?.sourceIp ?? 'unknown',
      },
      deps,
    );
    if (result.document) return documentResponse(result, result.document);
    return {
      statusCode: result.status,
      headers: {
        ...(result.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        'cache-control': 'no-store',
        ...result.headers,
      },
      body: result.body === undefined ? undefined : JSON.stringify(result.body),
    };
  } catch (error) {
    return toProblem(error, event);
  }
}

/** The Lambda entrypoint for a route: middy with the tracer, the metrics and the logger, then runRoute. */
export function lambdaHttpHandler(route: HttpRoute, getDeps: () => Promise<Deps>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(tracing())
    .use(businessMetrics())
    .use(injectLambdaContext(logger))
    .handler((event) => runRoute(route, event, getDeps));
}
