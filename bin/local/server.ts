// The local API: turns HTTP requests into API Gateway v2 events for the same route handlers, plus /_local tools.
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { LocalBillingExchange } from '#adapters/local/local-billing-exchange';
import type { LocalPhotoBucket } from '#adapters/local/local-photo-bucket';
import { Outbox, type Sent } from '#adapters/local/outbox';
import type { LocalEmailOutbox } from '#adapters/local/outbox-email';
import type { LocalSmsGateway } from '#adapters/local/outbox-sms';
import type { Deps } from '#app/ports';
import { toE164 } from '#domain/phone';
import { runRoute } from '#handlers/http/http-handler';
import { problemResponse } from '#handlers/http/problem';
import { isAdminPath, type RouteEntry } from '#handlers/http/routes';
import { localBillDropTool } from './local-billing-drop.ts';
import { readLocalJson } from './local-json.ts';
import { localNoticeRunTool } from './local-notice-runs.ts';
import { isLocalPhotoUpload, localPhotoBucketTool, localPhotoUploadLimit } from './local-photo-uploads.ts';
import type { LocalQueues } from './local-queue-tool.ts';
import { type LocalSchedules, localScheduleTool } from './local-schedules.ts';
import { isLoopbackHost } from './loopback-host.ts';
import { portalFile } from './portal-files.ts';
import { LOCAL_STAFF_JWKS_PATH, LOCAL_STAFF_TOKEN_PATH, type LocalStaffIssuer } from './staff-token.ts';

/** The local server stops reading a body here; the handlers themselves refuse anything over 64 KiB. */
const READ_LIMIT_BYTES = 1024 * 1024;

/** A simulated inbound SMS as GET /_local/inbox lists it; `sentAt` is when it was posted (the runtime's clock). */
export type InboundSms = Sent<{ from: string; to: string; body: string }>;

export interface LocalServerOptions {
  routes: RouteEntry[];
  notFound: RouteEntry;
  deps: Deps;
  /** The local outbox of both channels (GET /_local/outbox): SMS, and messenger where the utility has one. */
  gateway: LocalSmsGateway;
  /** Where e-mails go locally (GET /_local/email). */
  emails: LocalEmailOutbox;
  demo: () => unknown;
  /** The SMS gateway webhooks with this run's secrets, so people can sign test requests. */
  gateways: () => unknown[];
  /** Called for each simulated inbound SMS: delivers it through the inbound queue to the consumer. */
  onInboundSms: (sms: InboundSms) => Promise<{ status: string; receiveCount: number }>;
  /** What the local dead-letter queues hold. */
  deadLetters: () => unknown[];
  /** Resolves once every queued outbound SMS and e-mail has been sent (or dead-lettered). */
  outboundSettled: () => Promise<void>;
  /** How many simulated inbound SMS GET /_local/inbox keeps (the newest); as many as the SMS outbox by default. */
  inboxCapacity?: number;
  /** The business events counted so far, by event and dimensions. */
  metrics: () => unknown[];
  /** The built portal (portal/dist), served at / and /admin/ beside the API, as CloudFront serves it in AWS. */
  portalDir?: string;
  /** Issues staff tokens (POST /_local/staff-token) and checks them before every /admin/ route, as AWS does. */
  staffTokens: LocalStaffIssuer;
  /** The schedule table and the movable clock: GET /_local/schedules, POST /_local/schedules/{name}/run and /_local/clock. */
  schedules?: LocalSchedules;
  /** The queues' depth and dead letters: GET /_local/queues and POST /_local/queues/{name}/redrive. */
  queues?: LocalQueues;
  /** The folder standing in for the billing exchange bucket: POST /_local/billing/drop drops bill files there. */
  billingExchange?: LocalBillingExchange;
  /** The folder standing in for the photo bucket: form uploads (POST /_local/photo-uploads) and signed links. */
  photoUploads?: { bucket: LocalPhotoBucket; print: (line: string) => void };
}

interface CompiledRoute {
  entry: RouteEntry;
  method: string;
  pattern: RegExp;
  names: string[];
}

function compile(entry: RouteEntry): CompiledRoute {
  const names: string[] = [];
  const source = entry.route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
  return { entry, method: entry.route.method, pattern: new RegExp(`^${source}$`), names };
}

/**
 * As API Gateway chooses among routes that match: at the first segment where one route has a literal and the
 * other a {parameter}, the literal wins (GET /admin/complaints/stats before /admin/complaints/{id}).
 */
export function bySpecificity(a: { entry: RouteEntry }, b: { entry: RouteEntry }): number {
  const left = a.entry.route.path.split('/');
  const right = b.entry.route.path.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const leftVariable = left[i]?.startsWith('{') ?? false;
    const rightVariable = right[i]?.startsWith('{') ?? false;
    if (leftVariable !== rightVariable) return leftVariable ? 1 : -1;
  }
  return 0;
}

/** The matching route and its decoded path parameters; 'malformed' when a parameter is not valid percent-encoding. */
function match(routes: CompiledRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    try {
      const params = Object.fromEntries(
        route.names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]),
      );
      return { route, params };
    } catch (error) {
      // decodeURIComponent throws URIError for %zz or a cut-off UTF-8 sequence: the caller's mistake, not ours.
      if (error instanceof URIError) return 'malformed' as const;
      throw error;
    }
  }
  return undefined;
}

/** Reads the body up to the limit; past it, drains and discards the rest so the connection stays sound. */
function readBody(request: IncomingMessage, limit = READ_LIMIT_BYTES): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Media types API Gateway HTTP API hands to Lambda as text; every other body, or none declared, is binary. */
const TEXT_MEDIA_TYPE = /^(text\/[^;\s]+|application\/(json|xml|javascript))\s*(;|$)/i;

/**
 * The body as API Gateway HTTP API (payload 2.0) passes it to Lambda. AWS documents only that a binary body
 * arrives base64-encoded with isBase64Encoded: true; which types count as text was measured against AWS
 * (ministackorg/ministack#766): text/*, application/json, application/xml and application/javascript are
 * passed as a string, everything else (application/x-www-form-urlencoded and a missing content type
 * included) as base64. We follow that, and also base64 a "text" body whose bytes are not valid UTF-8
 * (a windows-1251 text/plain, say), where AWS's behaviour is not documented: base64 never loses a byte,
 * while a string would (and a signature over those bytes would no longer match).
 */
export function apiGatewayBody(
  body: Buffer,
  contentType: string | undefined,
): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  if (contentType && TEXT_MEDIA_TYPE.test(contentType.trim()) && isUtf8(body)) {
    return { body: body.toString('utf8'), isBase64Encoded: false };
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

export function toApiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string> | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    pathParameters,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...apiGatewayBody(body, headers['content-type']),
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  // A binary body (a PDF) comes base64-encoded, as API Gateway expects it and decodes it for the client.
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
}

function json(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

const inboundSmsSchema = z.strictObject({
  from: z.string().min(3).max(32),
  to: z.string().min(2).max(32),
  body: z.string().max(2000),
  messageId: z.string().min(1).max(100).optional(),
});

export function createLocalServer(options: LocalServerOptions): Server {
  const compiled = options.routes.map(compile).sort(bySpecificity);
  const inbox = new Outbox<{ from: string; to: string; body: string }>(
    options.deps.clock,
    options.inboxCapacity,
  );

  async function local(
    method: string,
    url: URL,
    body: Buffer,
  ): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
    const key = `${method} ${url.pathname}`;
    if (key === 'GET /_local/outbox') {
      await options.outboundSettled();
      // An unencoded "+" in a query string arrives as a space.
      const raw = url.searchParams.get('to')?.replace(/^ /, '+').trim();
      const to = raw ? (toE164(raw, options.deps.config.country) ?? raw) : undefined;
      // Both channels by default; ?channel=sms or ?channel=messenger shows one.
      const channel = url.searchParams.get('channel')?.trim() || undefined;
      if (channel !== undefined && channel !== 'sms' && channel !== 'messenger') {
        return problemResponse(400, 'validation-error', 'channel is "sms" or "messenger".', {
          extensions: { errors: [{ field: 'query.channel', message: 'not "sms" or "messenger"' }] },
        });
      }
      const items = options.gateway.list(to);
      return json(200, { items: channel ? items.filter((entry) => entry.channel === channel) : items });
    }
    if (key === 'GET /_local/email') {
      // Confirmation e-mails leave through the outbound queue too: wait for what was queued just before.
      await options.outboundSettled();
      const to = url.searchParams.get('to')?.trim();
      return json(200, { items: options.emails.list(to || undefined) });
    }
    if (key === 'GET /_local/demo') return json(200, options.demo());
    if (key === 'GET /_local/gateways') return json(200, { items: options.gateways() });
    if (key === 'GET /_local/inbox') return json(200, { items: inbox.list() });
    if (key === 'GET /_local/dlq') return json(200, { items: options.deadLetters() });
    if (key === 'GET /_local/metrics') return json(200, { items: options.metrics() });
    if (key === `POST ${LOCAL_STAFF_TOKEN_PATH}`) return options.staffTokens.answer(body);
    if (key === `GET ${LOCAL_STAFF_JWKS_PATH}`) return json(200, options.staffTokens.jwks());
    if (key === 'POST /_local/sms') {
      const read = readLocalJson(body, inboundSmsSchema, 'An inbound SMS needs from, to and body.');
      if (!read.ok) return read.response;
      const { from, to, body: text, messageId } = read.value;
      const sms: InboundSms = inbox.add({ from, to, body: text }, messageId);
      const delivery = await options.onInboundSms(sms);
      return json(202, { messageId: sms.messageId, ...delivery });
    }
    const noticeRun = await localNoticeRunTool(options.deps, method, url.pathname, body);
    if (noticeRun) return noticeRun;
    if (options.schedules) {
      const scheduled = await localScheduleTool(options.schedules, method, url.pathname, body);
      if (scheduled) return scheduled;
    }
    if (options.billingExchange) {
      const dropped = await localBillDropTool(options.deps, options.billingExchange, method, url, body);
      if (dropped) return dropped;
    }
    const queues = options.queues?.answer(method, url.pathname);
    if (queues) return queues;
    if (url.pathname.startsWith('/_local/')) {
      return problemResponse(404, 'route-not-found', `There is no local tool at ${method} ${url.pathname}.`);
    }
    return undefined;
  }

  const server = createServer(async (request, response) => {
    try {
      // 421, not 403: nothing is wrong with the caller's rights; the request names a host this server is not.
      if (!isLoopbackHost(request.headers.host)) {
        return send(
          response,
          problemResponse(
            421,
            'host-not-local',
            'This local server answers only requests for 127.0.0.1, localhost or [::1] (with any port).',
          ),
        );
      }
      const target = request.url ?? '/';
      // A target such as //[ or http://[::1 (an unclosed IPv6 literal) is no URL at all: the caller's mistake.
      if (!URL.canParse(target, 'http://127.0.0.1')) {
        return send(
          response,
          problemResponse(
            400,
            'malformed-path',
            'The request target is not a valid URL path (e.g. /utility).',
          ),
        );
      }
      const url = new URL(target, 'http://127.0.0.1');
      const method = (request.method ?? 'GET').toUpperCase();
      // A photo upload form carries a photo (up to the configured maxBytes), far more than any API request.
      const photos = options.photoUploads;
      const body = await readBody(
        request,
        photos && isLocalPhotoUpload(method, url.pathname) ? localPhotoUploadLimit(options.deps) : undefined,
      );
      if (photos) {
        const photoTool = await localPhotoBucketTool(
          options.deps,
          photos.bucket,
          method,
          url,
          body,
          request.headers['content-type'],
          photos.print,
        );
        if (photoTool) return send(response, photoTool);
      }
      if (body === 'too-large') {
        send(
          response,
          problemResponse(413, 'payload-too-large', 'The request body is larger than 65536 bytes.', {
            headers: { connection: 'close' },
          }),
        );
        return;
      }
      if (options.portalDir) {
        const file = portalFile(options.portalDir, method, url.pathname);
        if (file) return send(response, file);
      }
      const tool = await local(method, url, body);
      if (tool) return send(response, tool);
      const found = match(compiled, method, url.pathname);
      if (found === 'malformed') {
        return send(
          response,
          problemResponse(
            400,
            'malformed-path',
            'The path has a malformed percent-escape: each % must start a valid UTF-8 sequence (e.g. %D0%9F).',
            { instance: url.pathname },
          ),
        );
      }
      const entry = found?.route.entry ?? options.notFound;
      const routeKey = found ? `${method} ${entry.route.path}` : '$default';
      let event = toApiGatewayEvent(request, url, body, routeKey, found?.params);
      // API Gateway's JWT authorizer runs before an /admin/ function and answers 401 itself for a bad token.
      if (found && isAdminPath(entry.route.path)) {
        const authorized = await options.staffTokens.authorize(event);
        if (!authorized.ok) return send(response, authorized.response);
        event = authorized.event;
      }
      send(response, await runRoute(entry.route, event, async () => options.deps));
    } catch (error) {
      // The exception text may name files, tables or internals: the console gets it, the caller never does.
      console.error(`Local server: ${request.method} ${request.url} failed:`, error);
      if (response.headersSent) return void response.destroy();
      send(
        response,
        problemResponse(500, 'internal-error', 'Something went wrong on our side; please try again later.'),
      );
    }
  });
  return server;
}
