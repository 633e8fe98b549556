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

/**
 * What a client's calls cost in DynamoDB's on-demand units, items under 1 KB assumed (as the notice pipeline's
 * are): a write 1 unit (2 in a transaction), a consistent read 1, an eventually consistent one 0.5, a Query page
 * by the items it returned at 4 KB a unit (about ten small items).
 */
export function countDynamoUnits(client: DynamoDBDocumentClient): {
  readonly read: number;
  readonly write: number;
} {
  const units = { read: 0, write: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      // PutItemCommand and the document client's PutCommand alike: Put.
      const command = (context.commandName ?? '').replace(/(Items?)?Command$/, '');
      const result = await next(args);
      const output = (result.output ?? {}) as Record<string, unknown>;
      const readUnit = input.ConsistentRead ? 1 : 0.5;
      if (command === 'Put' || command === 'Update' || command === 'Delete') units.write += 1;
      else if (command === 'TransactWrite')
        units.write += 2 * ((input.TransactItems as unknown[] | undefined)?.length ?? 0);
      else if (command === 'Get') units.read += readUnit;
      else if (command === 'BatchGet') {
        const responses = Object.values((output.Responses ?? {}) as Record<string, unknown[]>);
        units.read += 0.5 * responses.reduce((total, items) => total + items.length, 0);
      } else if (command === 'Query')
        units.read +=
          readUnit * Math.max(1, Math.ceil(((output.Items as unknown[] | undefined)?.length ?? 0) / 10));
      return result;
    },
    { step: 'initialize', name: 'countDynamoUnits' },
  );
  return units;
}
