// Where an ops command's data goes: the options shared by every command that talks to the table, and its client.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Command, Option } from 'commander';
import { createDocumentClient } from '#adapters/dynamo/client';
import { deployedTableName, LOCAL_TABLE_NAME } from '#adapters/dynamo/table-definition';
import { availableUtilities } from '#config/load';
import { FatalError } from './exit.ts';

export interface TargetOptions {
  utility: string;
  /** Absent: the deployed table's name in AWS, or the local runtime's with --endpoint. */
  table?: string;
  endpoint?: string;
  region?: string;
}

export function addTargetOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--utility <id>', 'utility whose configuration checks the data')
        .choices(availableUtilities())
        .env('UTILITYDESK_UTILITY')
        .default('seoul-water'),
    )
    .addOption(
      new Option(
        '--table <name>',
        `DynamoDB table (default: utilitydesk-<utility> in AWS, ${LOCAL_TABLE_NAME} with --endpoint)`,
      ).env('UTILITYDESK_TABLE'),
    )
    .addOption(
      new Option(
        '--endpoint <url>',
        'DynamoDB endpoint, e.g. http://127.0.0.1:8000 for DynamoDB Local (absent: AWS)',
      ).env('DYNAMODB_ENDPOINT'),
    )
    .addOption(new Option('--region <region>', 'AWS region (absent: us-east-1)').env('AWS_REGION'));
}

function tableOf(target: TargetOptions): string {
  return target.table ?? (target.endpoint ? LOCAL_TABLE_NAME : deployedTableName(target.utility));
}

export function describeTarget(target: TargetOptions): string {
  const where = target.endpoint
    ? `DynamoDB at ${target.endpoint}`
    : `AWS region ${target.region ?? 'us-east-1'}`;
  return `table "${tableOf(target)}" (${where})`;
}

/** Turns the SDK's errors into one sentence a member of staff can act on; others are returned as they are. */
function explainDynamoError(error: unknown, target: TargetOptions): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const where = target.endpoint ?? `AWS region ${target.region ?? 'us-east-1'}`;
  if (error.name === 'ResourceNotFoundException') {
    return new FatalError(
      `The table "${tableOf(target)}" does not exist in ${where} (use --table or UTILITYDESK_TABLE).`,
    );
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(String(code)) ||
    error.name === 'TimeoutError' ||
    error instanceof AggregateError
  ) {
    return new FatalError(`Cannot reach DynamoDB at ${where}: ${error.message || String(code)}.`);
  }
  if (error.name === 'CredentialsProviderError') {
    return new FatalError(`No AWS credentials were found for ${where}: ${error.message}`);
  }
  if ('$metadata' in error)
    return new FatalError(`DynamoDB (${where}) refused the request: ${error.name}: ${error.message}`);
  return error;
}

/** Runs `work` with a client for the target's table; the SDK's errors become sentences, and the client is closed. */
export async function withTable<T>(
  target: TargetOptions,
  work: (client: DynamoDBDocumentClient, table: string) => Promise<T>,
): Promise<T> {
  const client = createDocumentClient({ endpoint: target.endpoint, region: target.region });
  try {
    return await work(client, tableOf(target));
  } catch (error) {
    throw explainDynamoError(error, target);
  } finally {
    client.destroy();
  }
}
