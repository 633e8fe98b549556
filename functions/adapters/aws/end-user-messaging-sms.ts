// SmsSender through AWS End User Messaging SMS (SendTextMessage).
import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SmsMessage, SmsSender } from '#app/ports';

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
    const result = await this.client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: message.to,
        OriginationIdentity: this.options.originationIdentity,
        MessageBody: message.body,
        MessageType: 'TRANSACTIONAL',
        ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
        ...(this.options.protectConfigurationId
          ? { ProtectConfigurationId: this.options.protectConfigurationId }
          : {}),
        Context: { purpose: message.purpose },
      }),
    );
    if (!result.MessageId) throw new Error('End User Messaging accepted the SMS but returned no message id');
    return { messageId: result.MessageId };
  }
}
