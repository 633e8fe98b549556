// The local messenger: template messages go to the local outbox (channel "messenger"); phones ending in 7 are no users.
import {
  type MessengerMessage,
  MessengerProviderError,
  type MessengerSender,
  MessengerUnreachableError,
} from '#app/ports';
import type { ChannelOutbox } from './channel-outbox.ts';

/** Kakao's code for a phone that is not a KakaoTalk user. */
const NOT_A_USER = '3019';

/**
 * Whether a phone "has KakaoTalk" locally: a deterministic rule, so the demo and the tests know in advance which
 * notices fall back to SMS. Every phone whose last digit is 7 is not a user.
 */
export function isLocalMessengerUser(phone: string): boolean {
  return !phone.endsWith('7');
}

export class LocalMessenger implements MessengerSender {
  constructor(
    private readonly outbox: ChannelOutbox,
    private readonly print: (line: string) => void = () => {},
    /** The template keys the utility's profile maps (a real provider refuses the others); absent: any. */
    private readonly templateKeys?: readonly string[],
  ) {}

  async send(message: MessengerMessage): Promise<{ messageId: string }> {
    if (this.templateKeys && !this.templateKeys.includes(message.templateKey)) {
      throw new MessengerProviderError(
        'unknown-template',
        `No template code is configured for "${message.templateKey}" (channels.messenger.templates)`,
        false,
      );
    }
    if (!isLocalMessengerUser(message.to)) {
      throw new MessengerUnreachableError(
        NOT_A_USER,
        'Not a KakaoTalk user (locally: every phone ending in 7)',
      );
    }
    const { messageId, repeated } = this.outbox.add({
      channel: 'messenger',
      to: message.to,
      purpose: 'notice',
      templateKey: message.templateKey,
      parameters: { ...message.parameters },
      body: message.text,
      idempotencyKey: message.idempotencyKey,
    });
    if (!repeated) this.print(`Messenger -> ${message.to} [${message.templateKey}] ${message.text}`);
    return { messageId };
  }
}
