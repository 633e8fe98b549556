// SmsSender through AWS End User Messaging SMS (SendTextMessage).
import {
  ConflictException,
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { type SmsMessage, SmsRefusedError, type SmsSender } from '#app/ports';

/** Refusals that no retry changes: the protect configuration blocks the number or its country, or it opted out. */
const FINAL_REFUSALS = new Set([
  'DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION',
  'DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE',
  'DESTINATION_PHONE_NUMBER_OPTED_OUT',
]);

export interface EndUserMessagingOptions {
  originationIdentity: string;
  configurationSet?: string;
  /** The country rules every SMS is held to (the deployment's protect configuration): the utility's country only. */
  protectConfigurationId?: string;
}

export class EndUserMessagingSms implements SmsSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly options: EndUserMessagingOptions,
  ) {}

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const result = await this.client
      .send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          OriginationIdentity: this.options.originationIdentity,
          MessageBody: message.body,
          MessageType: 'TRANSACTIONAL',
          ConfigurationSetName: this.options.configurationSet,
          ProtectConfigurationId: this.options.protectConfigurationId,
          // Copied into every delivery event of the message: a notice's id lets its delivery be recorded on it.
          Context: message.idempotencyKey
            ? { purpose: message.purpose, notice: message.idempotencyKey }
            : { purpose: message.purpose },
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConflictException && error.Reason && FINAL_REFUSALS.has(error.Reason)) {
          throw new SmsRefusedError(error.Reason);
        }
        throw error;
      });
    if (!result.MessageId) throw new Error('End User Messaging accepted the SMS but returned no message id');
    return { messageId: result.MessageId };
  }
}
