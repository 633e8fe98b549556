// Does the time a code request takes tell a registered phone from an unregistered one? Through the local server,
// with the domestic gateway's real sender posting to a stand-in aggregator on 127.0.0.1 that answers only when told.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { GatewaySms } from '#adapters/http/gateway-sms';
import { StaticGatewaySecrets } from '#adapters/local/local-inbound-queue';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

/** A stand-in aggregator that holds every send request until the test releases them. */
class HeldAggregator {
  readonly received: string[] = [];
  private held: ServerResponse[] = [];
  readonly server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      this.received.push(body);
      this.held.push(response);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/messages`;
  }

  release(): void {
    for (const response of this.held.splice(0)) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ result: { msg_id: `agg-${this.received.length}` } }));
    }
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const aggregator = new HeldAggregator();
let runtime: Runtime;

beforeAll(async () => {
  const seoul = loadUtilityConfig('seoul-water');
  const url = await aggregator.start();
  const gateways = seoul.channels.sms.inboundGateways.map((g) =>
    g.send ? { ...g, send: { ...g.send, url, timeoutMs: 30_000 } } : g,
  );
  const profile = gateways.find((g) => g.send);
  if (!profile) throw new Error('the Seoul config has no gateway send profile');
  const config = {
    ...seoul,
    channels: { ...seoul.channels, sms: { ...seoul.channels.sms, inboundGateways: gateways } },
    // Enough codes per phone and per address for a sample of many requests from this one machine.
    auth: { ...seoul.auth, otpMaxPerPhone: 20 },
    limits: { ...seoul.limits, clientCodeRequests: { max: 1000, windowMinutes: 15 } },
  };
  runtime = await startRuntime({
    config,
    // 10:00 on 2026-12-05 in Seoul.
    clock: startingClock(new Date('2026-12-05T01:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName: `e2e-timing-${Date.now()}` },
    demoAccounts: 20,
    smsSender: new GatewaySms(profile, new StaticGatewaySecrets({ [profile.id]: 'timing-test-secret' })),
  });
});

afterAll(async () => {
  await runtime?.stop();
  await aggregator.stop();
});

async function timedCodeRequest(accountNumber: string, phone: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${runtime.url}/auth/otp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountNumber, phone }),
  });
  const body = await response.text();
  expect(response.status, body).toBe(202);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

describe('a code request answers in the same time whether or not a code is sent', () => {
  // In AWS only the real cases waited for the SMS provider, so the answer's time told a registered phone from
  // an unregistered one. Now both only queue: the request answers while the aggregator still holds the SMS.
  it('answers a registered phone before the slow aggregator has answered, and measures both kinds', async () => {
    const demo = runtime.demo().accounts;
    const registered: number[] = [];
    const unregistered: number[] = [];
    const stranger = (i: number) => `+8210555500${String(i).padStart(2, '0')}`;
    // A warm-up pair, then pairs in alternating order, so neither kind always follows the other.
    for (let round = 0; round < 6; round++) {
      for (const [i, account] of demo.entries()) {
        const real = () => timedCodeRequest(account.accountNumber, account.phone);
        const decoy = () => timedCodeRequest(account.accountNumber, stranger(i));
        const [first, second] = (round + i) % 2 === 0 ? [real, decoy] : [decoy, real];
        const a = await first();
        const b = await second();
        if (round === 0) continue;
        const [r, u] = first === real ? [a, b] : [b, a];
        registered.push(r);
        unregistered.push(u);
      }
    }
    // Every registered request has answered although the aggregator has answered none of its sends.
    const waitForSends = async () => {
      for (let i = 0; i < 100 && aggregator.received.length < demo.length * 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await waitForSends();
    expect(aggregator.received).toHaveLength(demo.length * 6);
    console.info(
      `code request, median of ${registered.length}: registered ${median(registered).toFixed(1)} ms, ` +
        `unregistered ${median(unregistered).toFixed(1)} ms (the aggregator held every SMS meanwhile)`,
    );
    aggregator.release();
    // Released, the codes go out: each send carries one of the registered phones' national numbers.
    for (const account of demo) {
      const national = `0${account.phone.slice(3)}`;
      expect(aggregator.received.some((body) => body.includes(national))).toBe(true);
    }
  });
});
