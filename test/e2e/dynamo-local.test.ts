import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, inject, it } from 'vitest';

/** Whether a TCP connection to address:port is accepted (refused, unreachable or no answer in 2 s: false). */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** This machine's addresses other people on its networks could reach (link-local IPv6 needs a scope: left out). */
const outwardAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a !== undefined && !a.internal && !(a.family === 'IPv6' && a.address.startsWith('fe80:')))
  .map((a) => a?.address ?? '');
const hasOutwardIpv4 = outwardAddresses.some((a) => a.includes('.'));

describe('DynamoDB Local (npm start and the test run)', () => {
  // DynamoDB Local accepts any credentials: a laptop on café Wi-Fi running `npm start --data .data/seoul`
  // would hand its tables to anyone on the network who found the port.
  it.skipIf(!hasOutwardIpv4)(
    hasOutwardIpv4
      ? 'answers on 127.0.0.1 only, not on any other address of this machine'
      : 'answers on 127.0.0.1 only: not checked, this machine has no non-loopback IPv4 address to try',
    async () => {
      const port = Number(new URL(inject('dynamoEndpoint')).port);
      expect(await accepts('127.0.0.1', port)).toBe(true);
      const reachable: string[] = [];
      for (const address of outwardAddresses) if (await accepts(address, port)) reachable.push(address);
      expect(reachable).toEqual([]);
    },
  );
});
