// EmailSender through Amazon SES (API v2 SendEmail), from the utility's verified identity.
import {
  BadRequestException,
  MessageRejected,
  type SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { type EmailMessage, EmailRefusedError, type EmailSender } from '#app/ports';

export interface SesEmailOptions {
  from: string;
  configurationSet?: string | undefined;
}

export class SesEmail implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesEmailOptions,
  ) {}

  /**
   * Refusals of this message (MessageRejected, say for a virus; BadRequestException, a malformed address) are for
   * good: EmailRefusedError. Throttling, a 5xx, and the deployment's own faults (an unverified identity, sending
   * paused, the account suspended) are thrown as they are: retried, then dead-lettered, where operators see them.
   */
  async send(message: EmailMessage): Promise<{ messageId: string }> {
    const result = await this.client
      .send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
            },
          },
          EmailTags: [{ Name: 'purpose', Value: message.purpose }],
          ConfigurationSetName: this.options.configurationSet,
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof MessageRejected || error instanceof BadRequestException) {
          throw new EmailRefusedError(error.name, { cause: error });
        }
        throw error;
      });
    if (!result.MessageId) throw new Error('SES accepted the e-mail but returned no message id');
    return { messageId: result.MessageId };
  }
}
