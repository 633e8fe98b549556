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
      // With a filter, a number that is not on the list is "not found"; a missing list is an error.
      if (error instanceof ResourceNotFoundException && error.ResourceType === 'opted-out-number')
        return false;
      throw error;
    }
  }
}
