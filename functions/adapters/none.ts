// Stand-ins for a channel a deployment does not have: no provider opt-out list, no e-mail, no messenger.
import {
  type BillDropFiles,
  type EmailSender,
  type MessengerSender,
  MessengerUnreachableError,
  type PhotoBucket,
  type ProviderOptOutList,
  type ReadingExports,
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

/**
 * For a function the stack gave no billing exchange bucket (an internal-engine utility, or a function that has no
 * business there): a call is a wiring fault, reported with the variable's name.
 */
export const noBillingExchange: ReadingExports & BillDropFiles = {
  put: () => unwiredExchange(),
  read: () => unwiredExchange(),
  putRejects: () => unwiredExchange(),
  archive: () => unwiredExchange(),
};

function unwiredExchange(): Promise<never> {
  return Promise.reject(
    new Error(
      'Environment variable BILLING_EXCHANGE_BUCKET is not set: this function may not use the billing exchange',
    ),
  );
}

/** For a function the stack gave no photo bucket (PHOTO_BUCKET): a call is a wiring fault, named as such. */
export const noPhotoBucket: PhotoBucket = {
  presign: () => unwiredPhotos(),
  read: () => unwiredPhotos(),
  put: () => unwiredPhotos(),
  delete: () => unwiredPhotos(),
  signedGetUrl: () => unwiredPhotos(),
};

function unwiredPhotos(): Promise<never> {
  return Promise.reject(
    new Error('Environment variable PHOTO_BUCKET is not set: this function may not use the photo bucket'),
  );
}
