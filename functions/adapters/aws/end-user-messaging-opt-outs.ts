// ProviderOptOutList through End User Messaging SMS: is the phone on the account's opt-out list?
import {
  DescribeOptedOutNumbersCommand,
  type PinpointSMSVoiceV2Client,
  ResourceNotFoundException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { ProviderOptOutList } from '#app/ports';

export class EndUserMessagingOptOuts implements ProviderOptOutList {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly optOutListName: string,
  ) {}

  async isOptedOut(phone: string): Promise<boolean> {
    try {
      const result = await this.client.send(
        new DescribeOptedOutNumbersCommand({ OptOutListName: this.optOutListName, OptedOutNumbers: [phone] }),
      );
      return (result.OptedOutNumbers ?? []).some((entry) => entry.OptedOutNumber === phone);
    } catch (error) {
      // DescribeOptedOutNumbers with a filter answers "not found" for a number that is not on the list.
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }
}
