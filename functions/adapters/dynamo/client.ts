// Builds the DynamoDB document client once; the endpoint is set only for DynamoDB Local.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoTarget {
  tableName: string;
  region?: string;
  /** http://127.0.0.1:PORT for DynamoDB Local; absent for AWS. */
  endpoint?: string;
}

export function createDocumentClient(target: Omit<DynamoTarget, 'tableName'>): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: target.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(target.endpoint
      ? { endpoint: target.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 5,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
