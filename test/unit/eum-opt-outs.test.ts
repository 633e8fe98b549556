import 'aws-sdk-client-mock-vitest/extend';
import {
  DescribeOptedOutNumbersCommand,
  PinpointSMSVoiceV2Client,
  ResourceNotFoundException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EndUserMessagingOptOuts } from '#adapters/aws/end-user-messaging-opt-outs';

const eum = mockClient(PinpointSMSVoiceV2Client);
const optOuts = () =>
  new EndUserMessagingOptOuts(new PinpointSMSVoiceV2Client({ region: 'ap-northeast-2' }), 'Default');
const notFound = (resourceType: string) =>
  new ResourceNotFoundException({ $metadata: {}, message: 'not found', ResourceType: resourceType as never });

beforeEach(() => eum.reset());

describe('End User Messaging opt-out list', () => {
  it('asks for exactly this number on the configured list', async () => {
    eum.on(DescribeOptedOutNumbersCommand).resolves({
      OptedOutNumbers: [
        { OptedOutNumber: '+821012345678', OptedOutTimestamp: new Date(), EndUserOptedOut: true },
      ],
    });
    expect(await optOuts().isOptedOut('+821012345678')).toBe(true);
    expect(eum).toHaveReceivedCommandWith(DescribeOptedOutNumbersCommand, {
      OptOutListName: 'Default',
      OptedOutNumbers: ['+821012345678'],
    });
  });

  it('takes "number not found" as not opted out', async () => {
    eum.on(DescribeOptedOutNumbersCommand).rejects(notFound('opted-out-number'));
    expect(await optOuts().isOptedOut('+821012345678')).toBe(false);
  });

  it('fails closed when the list itself is missing, rather than text someone who opted out', async () => {
    eum.on(DescribeOptedOutNumbersCommand).rejects(notFound('opt-out-list'));
    await expect(optOuts().isOptedOut('+821012345678')).rejects.toThrow(ResourceNotFoundException);
  });
});
