// Every HTTP route, with the file its Lambda function is built from: read by the CDK stack and the local server.
import type { TableAccess } from '#adapters/dynamo/table-definition';
import { route as addHouseholdPhone } from './add-household-phone.ts';
import { route as adminForwardComplaint } from './admin-complaint-forward.ts';
import { route as adminGetComplaint } from './admin-complaint-get.ts';
import { route as adminMergeComplaint } from './admin-complaint-merge.ts';
import { route as adminNoteComplaint } from './admin-complaint-note.ts';
import { route as adminComplaintStats } from './admin-complaint-stats.ts';
import { route as adminTransitionComplaint } from './admin-complaint-transition.ts';
import { route as adminListComplaints } from './admin-complaints-list.ts';
import { route as adminMe } from './admin-me.ts';
import { route as authOtp } from './auth-otp.ts';
import { route as authToken } from './auth-token.ts';
import { route as cancelSubscription } from './cancel-subscription.ts';
import { route as createAnnouncement } from './create-announcement.ts';
import { route as fileComplaint } from './file-complaint.ts';
import { route as getAccount } from './get-account.ts';
import { route as getAnnouncement } from './get-announcement.ts';
import { route as getBill } from './get-bill.ts';
import { route as getBillingRun } from './get-billing-run.ts';
import { route as getComplaintPhoto } from './get-complaint-photo.ts';
import { route as getNoticeRun } from './get-notice-run.ts';
import { route as getReceipt } from './get-receipt.ts';
import { route as getSubscription } from './get-subscription.ts';
import { route as getUsage } from './get-usage.ts';
import { route as getUtility } from './get-utility.ts';
import type { HttpRoute } from './http-handler.ts';
import { route as listAccountSubscriptions } from './list-account-subscriptions.ts';
import { route as listAnnouncements } from './list-announcements.ts';
import { route as listBills } from './list-bills.ts';
import { route as listComplaintTypes } from './list-complaint-types.ts';
import { route as listPublicAnnouncements } from './list-public-announcements.ts';
import { route as listReadings } from './list-readings.ts';
import { route as notFound } from './not-found.ts';
import { route as open311Index } from './open311-index.ts';
import { route as open311PostRequest } from './open311-post-request.ts';
import { route as open311Request } from './open311-request.ts';
import { route as open311ServiceDefinition } from './open311-service-definition.ts';
import { route as open311Token } from './open311-token.ts';
import { route as previewAnnouncement } from './preview-announcement.ts';
import { route as recordAutoPayResults } from './record-autopay-results.ts';
import { route as recordPayment } from './record-payment.ts';
import { route as requestComplaintPhoto } from './request-complaint-photo.ts';
import { route as smsDeliveryReportWebhook } from './sms-delivery-report-webhook.ts';
import { route as smsGatewayWebhook } from './sms-gateway-webhook.ts';
import { route as startBillingRun } from './start-billing-run.ts';
import { route as submitReading } from './submit-reading.ts';
import { route as subscribe } from './subscribe.ts';
import { route as subscriptionCode } from './subscription-code.ts';
import { route as trackComplaint } from './track-complaint.ts';
import { route as verifySubscription } from './verify-subscription.ts';

export interface RouteEntry {
  /** Construct id of the route's function. */
  id: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  route: HttpRoute;
  /** What the function may do with the table: the CDK stack grants exactly this. */
  table: TableAccess;
  /** Whether the function sends SMS itself (it is then allowed to use the SMS provider). */
  sendsSms: boolean;
  /** Whether it queues SMS for the sms-outbound consumer (codes): it may then send to the outbound queue only. */
  queuesSms?: boolean;
  /** Whether it sends e-mail itself (reading confirmations): it is then allowed to use SES. */
  sendsEmail?: boolean;
  /** Whether it puts inbound SMS on the inbound queue (it then may send to it and read the gateway secrets). */
  enqueuesInboundSms?: boolean;
  /** Whether it starts announcements: it may then write to the planner queue and create one-time schedules. */
  startsAnnouncements?: boolean;
  /** Whether it queues e-mail (reading confirmations) for the sms-outbound consumer: it may then send to the outbound queue only. */
  queuesEmail?: boolean;
  /** Whether it puts gateway delivery reports on the delivery events queue (it then may send to it and read the gateway secrets). */
  enqueuesDeliveryReports?: boolean;
  /** Whether it starts billing runs: it may then write to the billing queue. */
  startsBillingRuns?: boolean;
  /** Whether it prints PDFs: its bundle then carries the receipt font, and it gets the memory to lay pages out. */
  printsPdf?: boolean;
  /** Whether it queues one account's notices (auto-pay results): it may then write to the notice and planner queues. */
  queuesNotices?: boolean;
  /** Whether it queues a resident's update by SMS (complaints): it may then send to the outbound queue only. */
  queuesUpdates?: boolean;
  /** Whether it hands out photo upload forms: its role may then put objects under uploads/ of the photo bucket. */
  uploadsPhotos?: boolean;
  /** Whether it links to checked photos: its role may then read objects under photos/ of the photo bucket. */
  viewsPhotos?: boolean;
}

export const httpRoutes: RouteEntry[] = [
  // Codes and the per-phone send log are written here.
  {
    id: 'AuthOtp',
    entry: 'functions/handlers/http/auth-otp.ts',
    route: authOtp,
    table: 'RW',
    sendsSms: false,
    queuesSms: true,
  },
  // Counts attempts and consumes the code.
  {
    id: 'AuthToken',
    entry: 'functions/handlers/http/auth-token.ts',
    route: authToken,
    table: 'RW',
    sendsSms: false,
  },
  {
    id: 'ListBills',
    entry: 'functions/handlers/http/list-bills.ts',
    route: listBills,
    table: 'RO',
    sendsSms: false,
  },
  {
    id: 'GetBill',
    entry: 'functions/handlers/http/get-bill.ts',
    route: getBill,
    table: 'RO',
    sendsSms: false,
  }, // Stores the pending subscription and its code.
  {
    id: 'Subscribe',
    entry: 'functions/handlers/http/subscribe.ts',
    route: subscribe,
    table: 'RW',
    sendsSms: false,
    queuesSms: true,
  },
  // Activates: subscription, (account, phone) slot and the account counter in one transaction.
  {
    id: 'VerifySubscription',
    entry: 'functions/handlers/http/verify-subscription.ts',
    route: verifySubscription,
    table: 'RW',
    sendsSms: false,
  },
  {
    id: 'SubscriptionCode',
    entry: 'functions/handlers/http/subscription-code.ts',
    route: subscriptionCode,
    table: 'RW',
    sendsSms: false,
    queuesSms: true,
  },
  {
    id: 'GetSubscription',
    entry: 'functions/handlers/http/get-subscription.ts',
    route: getSubscription,
    table: 'RO',
    sendsSms: false,
  },
  {
    id: 'CancelSubscription',
    entry: 'functions/handlers/http/cancel-subscription.ts',
    route: cancelSubscription,
    table: 'RW',
    sendsSms: false,
  },
  // The holder adds a household member's phone: a pending subscription and its code, queued like the others.
  {
    id: 'AddHouseholdPhone',
    entry: 'functions/handlers/http/add-household-phone.ts',
    route: addHouseholdPhone,
    table: 'RW',
    sendsSms: false,
    queuesSms: true,
  },
  {
    id: 'ListAccountSubscriptions',
    entry: 'functions/handlers/http/list-account-subscriptions.ts',
    route: listAccountSubscriptions,
    table: 'RO',
    sendsSms: false,
  },
  {
    id: 'SubmitReading',
    entry: 'functions/handlers/http/submit-reading.ts',
    route: submitReading,
    table: 'RW',
    sendsSms: false,
    queuesEmail: true,
  },
  {
    id: 'ListReadings',
    entry: 'functions/handlers/http/list-readings.ts',
    route: listReadings,
    table: 'RO',
    sendsSms: false,
  },
  // Verifies the gateway's HMAC and enqueues; the sms-inbound consumer does the rest, as for two-way SMS.
  {
    id: 'SmsGatewayWebhook',
    entry: 'functions/handlers/http/sms-gateway-webhook.ts',
    route: smsGatewayWebhook,
    table: 'none',
    sendsSms: false,
    enqueuesInboundSms: true,
  },
  // Staff: who the token names (roles, districts); behind the user pool's JWT authorizer like every /admin/ route.
  {
    id: 'AdminMe',
    entry: 'functions/handlers/http/admin-me.ts',
    route: adminMe,
    table: 'none',
    sendsSms: false,
  },
  // Staff: a notice run's report (counts by channel and reason, the carrier's cost); reads only.
  {
    id: 'GetNoticeRun',
    entry: 'functions/handlers/http/get-notice-run.ts',
    route: getNoticeRun,
    table: 'RO',
    sendsSms: false,
  },
  // Staff: an announcement is stored, then its run started (the planner queue) or timed (a one-time schedule).
  {
    id: 'CreateAnnouncement',
    entry: 'functions/handlers/http/create-announcement.ts',
    route: createAnnouncement,
    table: 'RW',
    sendsSms: false,
    startsAnnouncements: true,
  },
  // Staff: an announcement and its run's counts; reads only.
  {
    id: 'GetAnnouncement',
    entry: 'functions/handlers/http/get-announcement.ts',
    route: getAnnouncement,
    table: 'RO',
    sendsSms: false,
  },
  // Verifies the gateway's HMAC and enqueues; the sms-delivery-events consumer records it, as for End User Messaging.
  {
    id: 'SmsDeliveryReportWebhook',
    entry: 'functions/handlers/http/sms-delivery-report-webhook.ts',
    route: smsDeliveryReportWebhook,
    table: 'none',
    sendsSms: false,
    enqueuesDeliveryReports: true,
  },
  // Writes the run and queues the first page of every part of the account index.
  {
    id: 'StartBillingRun',
    entry: 'functions/handlers/http/start-billing-run.ts',
    route: startBillingRun,
    table: 'RW',
    sendsSms: false,
    startsBillingRuns: true,
  },
  {
    id: 'GetBillingRun',
    entry: 'functions/handlers/http/get-billing-run.ts',
    route: getBillingRun,
    table: 'RO',
    sendsSms: false,
  },
  // Staff: a payment and its bill's new state, written together once per reference (the Idempotency-Key).
  {
    id: 'RecordPayment',
    entry: 'functions/handlers/http/record-payment.ts',
    route: recordPayment,
    table: 'RW',
    sendsSms: false,
  },
  // A bill's receipt as JSON, a printable page or a PDF; reads only.
  {
    id: 'GetReceipt',
    entry: 'functions/handlers/http/get-receipt.ts',
    route: getReceipt,
    table: 'RO',
    sendsSms: false,
    printsPdf: true,
  },
  // Usage per bill for a chart: one bounded query of the newest bills; reads only.
  {
    id: 'GetUsage',
    entry: 'functions/handlers/http/get-usage.ts',
    route: getUsage,
    table: 'RO',
    sendsSms: false,
  },
  // Staff (admin): auto-pay results are written on their bills, then each account's notices are queued.
  {
    id: 'RecordAutoPayResults',
    entry: 'functions/handlers/http/record-autopay-results.ts',
    route: recordAutoPayResults,
    table: 'RW',
    sendsSms: false,
    queuesNotices: true,
  },
  // A resident files a complaint: limits counted, routed, checked for lookalikes, written with its tracking code.
  {
    id: 'FileComplaint',
    entry: 'functions/handlers/http/file-complaint.ts',
    route: fileComplaint,
    table: 'RW',
    sendsSms: false,
  },
  // A complaint's public view by its tracking code; reads only.
  {
    id: 'TrackComplaint',
    entry: 'functions/handlers/http/track-complaint.ts',
    route: trackComplaint,
    table: 'RO',
    sendsSms: false,
  },
  // The complaint types from config, in the caller's language; public, and touches no table.
  // What the portal shows before sign-in: name, languages, numbers, reading window, consent, complaint types.
  {
    id: 'GetUtility',
    entry: 'functions/handlers/http/get-utility.ts',
    route: getUtility,
    table: 'none',
    sendsSms: false,
  },
  {
    id: 'ListComplaintTypes',
    entry: 'functions/handlers/http/list-complaint-types.ts',
    route: listComplaintTypes,
    table: 'none',
    sendsSms: false,
  },
  // ---- Complaints: the staff workflow ----
  {
    id: 'AdminListComplaints',
    entry: 'functions/handlers/http/admin-complaints-list.ts',
    route: adminListComplaints,
    table: 'RO',
    sendsSms: false,
  },
  // Reads every queue the caller sees over the window.
  {
    id: 'AdminComplaintStats',
    entry: 'functions/handlers/http/admin-complaint-stats.ts',
    route: adminComplaintStats,
    table: 'RO',
    sendsSms: false,
  },
  // Open311 GeoReport v2: the service list, the request search and the discovery document; reads only.
  {
    id: 'Open311Index',
    entry: 'functions/handlers/http/open311-index.ts',
    route: open311Index,
    // Writes only the search's per-address counter.
    table: 'RW',
    sendsSms: false,
  },
  // Open311: a partner files a complaint with its api_key (checked, counted and filed as the native one is).
  {
    id: 'Open311PostRequest',
    entry: 'functions/handlers/http/open311-post-request.ts',
    route: open311PostRequest,
    table: 'RW',
    sendsSms: false,
  },
  {
    id: 'Open311ServiceDefinition',
    entry: 'functions/handlers/http/open311-service-definition.ts',
    route: open311ServiceDefinition,
    table: 'none',
    sendsSms: false,
  },
  {
    id: 'Open311Request',
    entry: 'functions/handlers/http/open311-request.ts',
    route: open311Request,
    table: 'RO',
    sendsSms: false,
  },
  {
    id: 'AdminGetComplaint',
    entry: 'functions/handlers/http/admin-complaint-get.ts',
    route: adminGetComplaint,
    table: 'RO',
    sendsSms: false,
  },
  // Writes the complaint and queues (or, in the quiet hours, holds) the reporter's SMS.
  {
    id: 'AdminTransitionComplaint',
    entry: 'functions/handlers/http/admin-complaint-transition.ts',
    route: adminTransitionComplaint,
    table: 'RW',
    sendsSms: false,
    queuesUpdates: true,
  },
  // Staff: a complaint forwarded to another district's queue (from the central desk, or a wrong routing).
  {
    id: 'AdminForwardComplaint',
    entry: 'functions/handlers/http/admin-complaint-forward.ts',
    route: adminForwardComplaint,
    table: 'RW',
    sendsSms: false,
  },
  {
    id: 'AdminNoteComplaint',
    entry: 'functions/handlers/http/admin-complaint-note.ts',
    route: adminNoteComplaint,
    table: 'RW',
    sendsSms: false,
  },
  // Writes both complaints in one transaction and queues (or holds) the duplicate's reporter's SMS.
  {
    id: 'AdminMergeComplaint',
    entry: 'functions/handlers/http/admin-complaint-merge.ts',
    route: adminMergeComplaint,
    table: 'RW',
    sendsSms: false,
    queuesUpdates: true,
  },
  // A photo upload form: the awaited photo is noted on the complaint; the form is signed with the function's role.
  {
    id: 'RequestComplaintPhoto',
    entry: 'functions/handlers/http/request-complaint-photo.ts',
    route: requestComplaintPhoto,
    table: 'RW',
    sendsSms: false,
    uploadsPhotos: true,
  },
  // Staff: a signed link to a checked photo's copy; reads only.
  {
    id: 'GetComplaintPhoto',
    entry: 'functions/handlers/http/get-complaint-photo.ts',
    route: getComplaintPhoto,
    table: 'RO',
    sendsSms: false,
    viewsPhotos: true,
  },
  {
    id: 'Open311Token',
    entry: 'functions/handlers/http/open311-token.ts',
    route: open311Token,
    table: 'RO',
    sendsSms: false,
  },
  // ---- The citizen portal ----
  // The resident's own account for their pages: district, meters, the reading window; reads only.
  {
    id: 'GetAccount',
    entry: 'functions/handlers/http/get-account.ts',
    route: getAccount,
    table: 'RO',
    sendsSms: false,
  },
  // Public: the announcements of the last two weeks for a district; one bounded query, cacheable for a minute.
  {
    id: 'ListPublicAnnouncements',
    entry: 'functions/handlers/http/list-public-announcements.ts',
    route: listPublicAnnouncements,
    table: 'RO',
    sendsSms: false,
  },
  // Staff: the composer's per-language preview (message, SMS/LMS, size), by the rules of the announcement's POST.
  {
    id: 'PreviewAnnouncement',
    entry: 'functions/handlers/http/preview-announcement.ts',
    route: previewAnnouncement,
    table: 'none',
    sendsSms: false,
  },
  // Staff: the announcements, latest first, each with its run's counts; reads only.
  {
    id: 'ListAnnouncements',
    entry: 'functions/handlers/http/list-announcements.ts',
    route: listAnnouncements,
    table: 'RO',
    sendsSms: false,
  },
];

/**
 * Staff routes live under /admin/, and every route there is a staff route: API Gateway puts the staff JWT
 * authorizer on exactly these paths (lib/api-stack.ts), and the local server verifies staff tokens on them.
 */
export function isAdminPath(path: string): boolean {
  return path.startsWith('/admin/');
}

/** Answers every request no route matches ($default in API Gateway). */
export const notFoundRoute: RouteEntry = {
  id: 'NotFound',
  entry: 'functions/handlers/http/not-found.ts',
  route: notFound,
  table: 'none',
  sendsSms: false,
};
