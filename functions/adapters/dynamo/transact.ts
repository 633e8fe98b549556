// One TransactWriteItems call with the retry every store needs: DynamoDB cancels a transaction that merely met another
// one on the same items (TransactionConflict), which succeeds when tried again; a failed condition is the caller's.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** Each item's cancellation code, in the order of the transaction's items ('None' for those that were fine). */
export function cancellationCodes(error: TransactionCanceledException): Array<string | undefined> {
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

const CONFLICT_RETRIES = 4;

/**
 * Runs a transaction, retrying while DynamoDB cancels it only because another transaction was
 * touching the same items (TransactionConflict); a failed condition is returned to the caller.
 */
export async function transact(client: DynamoDBDocumentClient, items: TransactItem[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const conflictOnly =
        error instanceof TransactionCanceledException &&
        cancellationCodes(error).includes('TransactionConflict') &&
        !cancellationCodes(error).includes('ConditionalCheckFailed');
      if (!conflictOnly || attempt >= CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt + Math.random() * 20));
    }
  }
}
