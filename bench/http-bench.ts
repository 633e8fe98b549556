// The HTTP side of the benchmarks: API Gateway v2 events for a route, and a loop that sends them some at a time
// through runRoute and prints requests per second, latency percentiles and DynamoDB calls per request.
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpRoute, runRoute } from '#handlers/http/http-handler';

export function event(
  method: string,
  path: string,
  routePath: string,
  params: Record<string, string>,
  headers: Record<string, string>,
  body?: unknown,
  sourceIp = '127.0.0.1',
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${routePath}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    pathParameters: params,
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent: 'bench' },
      requestId: 'bench',
      routeKey: `${method} ${routePath}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function measure(
  concurrency: number,
  name: string,
  count: number,
  make: (i: number) => [HttpRoute, APIGatewayProxyEventV2],
  deps: Parameters<typeof runRoute>[2],
  calls: () => number,
  /** Sees each successful answer's body (e.g. to keep the ids a later round reads). */
  onAnswer?: (body: string) => void,
) {
  const latencies: number[] = [];
  const before = calls();
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const [route, ev] = make(next++);
        const t0 = performance.now();
        const result = await runRoute(route, ev, deps);
        latencies.push(performance.now() - t0);
        if ((result.statusCode ?? 500) >= 400) failures++;
        else if (onAnswer && result.body) onAnswer(result.body);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(28)} ${String(count).padStart(6)} req  ${(count / seconds).toFixed(0).padStart(6)} req/s  p50 ${percentile(latencies, 50).toFixed(1)} ms  p95 ${percentile(latencies, 95).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms  DynamoDB calls/req ${((calls() - before) / count).toFixed(2)}  errors ${failures}`,
  );
}
