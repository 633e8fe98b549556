// billing-run: consumes the billing queue: one page of one part of the account index per message.
import { billAccountsPage } from '#app/billing-run';
import { readBillingPage } from '#contracts/billing-page';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaSqsHandler, type RecordHandler } from './sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  await billAccountsPage(deps, readBillingPage(record.body));
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
