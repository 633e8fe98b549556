// SmsSender and ProviderOptOutList through Amazon SNS direct SMS (Publish to a phone number).
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  type MessageAttributeValue,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { ProviderOptOutList, SmsMessage, SmsSender } from '#app/ports';
import type { SmsOutboundConfig } from '#config/schema';

export type SnsSmsOptions = Pick<
  Extract<SmsOutboundConfig, { provider: 'sns' }>,
  'senderId' | 'originationNumber' | 'smsType'
>;

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

export class SnsSms implements SmsSender {
  constructor(
    private readonly client: SNSClient,
    private readonly options: SnsSmsOptions,
  ) {}

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const { senderId, originationNumber, smsType } = this.options;
    const result = await this.client.send(
      new PublishCommand({
        PhoneNumber: message.to,
        Message: message.body,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': text(smsType),
          ...(senderId ? { 'AWS.SNS.SMS.SenderID': text(senderId) } : {}),
          ...(originationNumber ? { 'AWS.MM.SMS.OriginationNumber': text(originationNumber) } : {}),
        },
      }),
    );
    if (!result.MessageId) throw new Error('SNS accepted the SMS but returned no message id');
    return { messageId: result.MessageId };
  }
}

/** SNS keeps one opt-out list per account and region; a STOP reply lands there by itself. */
export class SnsOptOuts implements ProviderOptOutList {
  constructor(private readonly client: SNSClient) {}

  async isOptedOut(phone: string): Promise<boolean> {
    const result = await this.client.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: phone }));
    return result.isOptedOut === true;
  }
}
