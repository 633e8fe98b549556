// A receipt in the media type the client asked for: JSON (default), a printable HTML page, or a PDF.
import { renderReceiptPdf } from '#adapters/pdf/receipt-pdf';
import { NotAcceptableError } from '#domain/errors';
import { negotiate } from '#domain/media-type';
import type { Receipt } from '#domain/receipt';
import { RECEIPT_HTML_CSP, renderReceiptHtml } from '#domain/receipt-html';
import type { HttpResult } from './http-handler.ts';

/** What the receipt route can answer in, the default first. */
export const RECEIPT_MEDIA_TYPES = ['application/json', 'text/html', 'application/pdf'] as const;
type ReceiptMediaType = (typeof RECEIPT_MEDIA_TYPES)[number];

/** The media type to answer in, or 406 before anything is read. */
export function receiptMediaType(accept: string | undefined): ReceiptMediaType {
  const chosen = negotiate(accept, RECEIPT_MEDIA_TYPES);
  if (!chosen) throw new NotAcceptableError(RECEIPT_MEDIA_TYPES);
  return chosen as ReceiptMediaType;
}

export async function receiptResponse(
  receipt: Receipt,
  mediaType: ReceiptMediaType,
  now: Date,
): Promise<HttpResult> {
  // The answer depends on Accept: a cache between us and the client must keep the representations apart.
  const headers = { vary: 'Accept' };
  switch (mediaType) {
    case 'application/json':
      return { status: 200, body: receipt, headers };
    case 'text/html':
      return {
        status: 200,
        document: { contentType: 'text/html; charset=utf-8', text: renderReceiptHtml(receipt) },
        headers: {
          ...headers,
          'content-security-policy': RECEIPT_HTML_CSP,
          'referrer-policy': 'no-referrer',
        },
      };
    case 'application/pdf':
      return {
        status: 200,
        document: {
          contentType: 'application/pdf',
          bytes: await renderReceiptPdf(receipt, { createdAt: now }),
        },
        headers: {
          ...headers,
          'content-disposition': `inline; filename="receipt-${receipt.accountNumber}-${receipt.period}.pdf"`,
        },
      };
  }
}
