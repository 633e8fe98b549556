// Counts the DynamoDB calls a client makes, so each benchmark can print calls per request.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function countDynamoCalls(client: DynamoDBDocumentClient): { readonly count: number } {
  const counter = { count: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      counter.count++;
      return next(args);
    },
    { step: 'initialize', name: 'countDynamoCalls' },
  );
  return counter;
}
