// Every queue consumer, with the file its Lambda function is built from: read by the CDK stack and the local runtime.

import type { TableAccess } from '#adapters/dynamo/table-definition';
import { handleRecord as smsInbound } from './sms-inbound.ts';
import { handleRecord as smsOutbound } from './sms-outbound.ts';
import type { RecordHandler } from './sqs-handler.ts';

export interface ConsumerEntry {
  /** Construct id of the consumer's function and queue. */
  id: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  handleRecord: RecordHandler;
  table: TableAccess;
  sendsSms: boolean;
  /** Whether it sends e-mail (reading confirmations): it is then allowed to use SES. */
  sendsEmail: boolean;
  /** Deliveries of one message before it goes to the dead-letter queue. */
  maxReceiveCount: number;
  /** Whether it sends messenger messages (notices): it may then read the messenger provider's API key. */
  sendsMessenger?: boolean;
}

/** Inbound SMS: End User Messaging two-way SMS publishes to an SNS topic that feeds this queue. */
export const smsInboundConsumer: ConsumerEntry = {
  id: 'SmsInbound',
  entry: 'functions/handlers/sqs/sms-inbound.ts',
  handleRecord: smsInbound,
  table: 'RW',
  sendsSms: true,
  sendsEmail: true,
  maxReceiveCount: 3,
};

/**
 * Outbound SMS: codes (and, later, every message to a person) are queued by id and sent here, so no request waits
 * for an SMS provider.
 */
export const smsOutboundConsumer: ConsumerEntry = {
  id: 'SmsOutbound',
  entry: 'functions/handlers/sqs/sms-outbound.ts',
  handleRecord: smsOutbound,
  table: 'RW',
  sendsSms: true,
  sendsEmail: false,
  maxReceiveCount: 3,
  // The one sender of every message to a person: notices by messenger too, with SMS as their fallback.
  sendsMessenger: true,
};

export const queueConsumers: ConsumerEntry[] = [smsInboundConsumer, smsOutboundConsumer];
