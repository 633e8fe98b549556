// Stand-ins for a channel a deployment does not have: no provider opt-out list, no e-mail, no messenger.
import {
  type EmailSender,
  type MessengerSender,
  MessengerUnreachableError,
  type ProviderOptOutList,
} from '#app/ports';

/** For a provider that keeps no opt-out list we can read (a domestic gateway, the local outbox): only ours count. */
export const noProviderOptOuts: ProviderOptOutList = { isOptedOut: async () => false };

/** For a utility that sends no e-mail: the use case never calls it, so a call is a wiring fault. */
export const noEmail: EmailSender = {
  send: () =>
    Promise.reject(new Error('No e-mail provider is configured (channels.email.provider is "none")')),
};

/** For a utility without a messenger: nobody can get one, so a notice for a subscription that chose it goes by SMS. */
export const noMessenger: MessengerSender = {
  send: () =>
    Promise.reject(
      new MessengerUnreachableError(
        'no-messenger',
        'No messenger is configured (channels.messenger.provider is "none")',
      ),
    ),
};
