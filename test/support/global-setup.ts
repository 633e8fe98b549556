// Starts DynamoDB Local once for the whole test run and hands its endpoint to every test file; builds the portal
// once for the browser tests, which the local server serves from portal/dist.
import type { TestProject } from 'vitest/node';
import { buildPortal } from '../../bin/local/build-portal.ts';
import { type DynamoLocal, startDynamoLocal } from '../../bin/local/dynamo-local.ts';

let dynamo: DynamoLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  const built = buildPortal();
  dynamo = await startDynamoLocal();
  await built;
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
