// SmsSender through an Amazon Pinpoint project's SMS channel (SendMessages to one address).
import { type PinpointClient, SendMessagesCommand } from '@aws-sdk/client-pinpoint';
import type { SmsMessage, SmsSender } from '#app/ports';
import type { SmsOutboundConfig } from '#config/schema';

export type PinpointSmsOptions = Pick<
  Extract<SmsOutboundConfig, { provider: 'pinpoint' }>,
  'applicationId' | 'originationNumber' | 'senderId'
>;

export class PinpointSms implements SmsSender {
  constructor(
    private readonly client: PinpointClient,
    private readonly options: PinpointSmsOptions,
  ) {}

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const { applicationId, originationNumber, senderId } = this.options;
    const response = await this.client.send(
      new SendMessagesCommand({
        ApplicationId: applicationId,
        MessageRequest: {
          Addresses: { [message.to]: { ChannelType: 'SMS' } },
          MessageConfiguration: {
            SMSMessage: {
              Body: message.body,
              MessageType: 'TRANSACTIONAL',
              OriginationNumber: originationNumber,
              SenderId: senderId,
            },
          },
          Context: { purpose: message.purpose },
        },
      }),
    );
    // SendMessages answers 200 even when the one address failed: the outcome is in the per-address result.
    const result = response.MessageResponse?.Result?.[message.to];
    if (result?.DeliveryStatus === 'SUCCESSFUL') {
      if (!result.MessageId) throw new Error('Pinpoint accepted the SMS but returned no message id');
      return { messageId: result.MessageId };
    }
    throw new Error(
      `Pinpoint did not send the SMS: DeliveryStatus ${result?.DeliveryStatus ?? 'missing'}, ` +
        `StatusCode ${result?.StatusCode ?? 'missing'}, StatusMessage ${result?.StatusMessage ?? 'missing'}`,
    );
  }
}
