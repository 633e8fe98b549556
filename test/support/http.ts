// Builds API Gateway HTTP API (v2) events from the JSON fixture and runs them through a route.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Deps } from '#app/ports';
import { type HttpRoute, runRoute } from '#handlers/http/http-handler';
import base from '../fixtures/events/http-api-v2.json' with { type: 'json' };

export interface EventInput {
  method: string;
  path: string;
  routePath?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  /** rawBody is base64, as API Gateway passes bodies it treats as binary. */
  isBase64Encoded?: boolean;
  /** The client address API Gateway saw (the fixture's 192.0.2.1 otherwise). */
  sourceIp?: string;
}

/** The part of a Lambda context the handlers' middleware reads, for a function of this name. */
export function lambdaContext(functionName: string): Context {
  return {
    functionName,
    awsRequestId: 'req-1',
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-2:123456789012:function:${functionName}`,
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;
}

export function httpEvent(input: EventInput): APIGatewayProxyEventV2 {
  const routeKey = `${input.method} ${input.routePath ?? input.path}`;
  const body = input.rawBody ?? (input.body === undefined ? undefined : JSON.stringify(input.body));
  const headers: Record<string, string> = { ...base.headers, ...input.headers };
  if (body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
  return {
    ...base,
    routeKey,
    rawPath: input.path,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers,
    ...(input.query ? { queryStringParameters: input.query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      ...base.requestContext,
      routeKey,
      http: {
        ...base.requestContext.http,
        method: input.method,
        path: input.path,
        ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}),
      },
    },
    ...(body !== undefined ? { body } : {}),
    ...(input.isBase64Encoded ? { isBase64Encoded: true } : {}),
  };
}

export interface Response {
  status: number;
  headers: Record<string, string>;
  json: Record<string, unknown> & { type?: string; detail?: string };
  /** The body as the client gets it: a base64 (binary) body decoded to its bytes. */
  raw: Buffer;
}

export async function call(route: HttpRoute, deps: Deps, input: EventInput): Promise<Response> {
  const result = await runRoute(route, httpEvent(input), async () => deps);
  const headers = (result.headers ?? {}) as Record<string, string>;
  // A page or a PDF is not JSON; anything else the routes answer is.
  const isJson = !headers['content-type'] || /json/.test(headers['content-type']);
  return {
    status: result.statusCode ?? 0,
    headers,
    json: result.body && isJson ? JSON.parse(result.body) : {},
    raw: Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8'),
  };
}

export const problemType = (slug: string) => `urn:utilitydesk:problem:${slug}`;
