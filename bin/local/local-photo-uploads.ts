// POST /_local/photo-uploads and GET /_local/photo-bucket/...: the photo bucket's form uploads and signed links, as S3
// serves them, with the check the S3 event starts in AWS run right after an upload is stored.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  LOCAL_PHOTO_UPLOAD_PATH,
  LOCAL_PHOTO_VIEW_PATH,
  type LocalPhotoBucket,
} from '#adapters/local/local-photo-bucket';
import { checkUploadedPhoto } from '#app/complaint-photo-check';
import { PHOTO_UPLOAD_PREFIX } from '#app/complaint-photos';
import type { Deps } from '#app/ports';
import { problemResponse } from '#handlers/http/problem';

/** The most a form upload may carry locally: the policy's own limit decides, this only stops a runaway body. */
export function localPhotoUploadLimit(deps: Deps): number {
  return deps.config.complaints.photos.maxBytes + 64 * 1024;
}

/** Whether the local server should read this request's body up to localPhotoUploadLimit rather than its default. */
export function isLocalPhotoUpload(method: string, path: string): boolean {
  return method === 'POST' && path === LOCAL_PHOTO_UPLOAD_PATH;
}

/** The answer to a photo bucket request, or undefined for any other path. */
export async function localPhotoBucketTool(
  deps: Deps,
  bucket: LocalPhotoBucket,
  method: string,
  url: URL,
  body: Buffer | 'too-large',
  contentType: string | undefined,
  print: (line: string) => void,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  if (url.pathname === LOCAL_PHOTO_UPLOAD_PATH) {
    if (method !== 'POST') {
      return problemResponse(
        405,
        'method-not-allowed',
        `${method} is not allowed on ${LOCAL_PHOTO_UPLOAD_PATH}.`,
        {
          headers: { allow: 'POST' },
        },
      );
    }
    if (body === 'too-large') {
      return problemResponse(
        400,
        'entity-too-large',
        'Your proposed upload exceeds the maximum allowed size.',
      );
    }
    return upload(deps, bucket, body, contentType, print);
  }
  if (url.pathname.startsWith(LOCAL_PHOTO_VIEW_PATH) && method === 'GET') {
    let key: string | undefined;
    try {
      key = decodeURIComponent(url.pathname.slice(LOCAL_PHOTO_VIEW_PATH.length));
    } catch {
      // A malformed escape (%E0) names nothing.
    }
    const bytes =
      key === undefined || key.startsWith(PHOTO_UPLOAD_PREFIX)
        ? undefined
        : await bucket
            .readSigned(key, url.searchParams.get('expires') ?? '', url.searchParams.get('signature') ?? '')
            .catch(() => undefined);
    if (!bytes) {
      return problemResponse(403, 'access-denied', 'The link is not valid, has expired, or names nothing.');
    }
    return {
      statusCode: 200,
      headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=300' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    };
  }
  return undefined;
}

/** Reads the form as S3 does (fields, then the file), stores it if the policy allows, and checks it at once. */
async function upload(
  deps: Deps,
  bucket: LocalPhotoBucket,
  body: Buffer,
  contentType: string | undefined,
  print: (line: string) => void,
): Promise<APIGatewayProxyStructuredResultV2> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType ?? '' } }).formData();
  } catch {
    return problemResponse(400, 'malformed-post-request', 'The body is not well-formed multipart/form-data.');
  }
  const fields: Record<string, string> = {};
  let file: Uint8Array | undefined;
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') file = new Uint8Array(await value.arrayBuffer());
  }
  if (!file) return problemResponse(400, 'invalid-argument', 'The form has no "file" part.');
  const stored = await bucket.acceptUpload(fields, file);
  if (!stored.ok) return problemResponse(stored.status, stored.code, stored.message);
  // In AWS the ObjectCreated event starts PhotoCheck a moment later; here the check runs before the answer.
  const result = await checkUploadedPhoto(deps, stored.key);
  print(`Photo upload ${stored.key}: ${result.outcome}`);
  return { statusCode: 204, headers: { 'x-local-photo-check': result.outcome }, body: '' };
}
