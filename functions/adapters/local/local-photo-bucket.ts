// The photo bucket as a local folder: upload forms whose policy is enforced as S3 enforces it, and signed links.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Clock, PhotoBucket, PresignedUpload, UploadCondition } from '#app/ports';

/** Where the local server takes the upload forms (POST, multipart/form-data). */
export const LOCAL_PHOTO_UPLOAD_PATH = '/_local/photo-uploads';
/** Where the local server shows stored photos to a holder of a signed link. */
export const LOCAL_PHOTO_VIEW_PATH = '/_local/photo-bucket/';

/** Form fields that carry the policy itself, never named by a condition (S3's policy and signature fields). */
const POLICY_FIELDS = new Set(['policy', 'x-local-signature']);

const policySchema = z.strictObject({
  expiration: z.iso.datetime(),
  conditions: z.array(
    z.union([
      z.record(z.string(), z.string()),
      z.tuple([z.enum(['eq', 'starts-with']), z.string().startsWith('$'), z.string()]),
      z.tuple([z.literal('content-length-range'), z.number(), z.number()]),
    ]),
  ),
});

/** Why S3 would refuse a form upload: 403 for the policy (signature, expiry, a condition), 400 for the size; S3's error codes as slugs. */
export type UploadRefusal = { status: 400 | 403; code: string; message: string };

/**
 * Whether a form meets its policy's conditions, as S3 checks them: field names case-insensitive but "key", every
 * form field named by some condition, the file's size within content-length-range.
 */
export function meetsPolicy(
  conditions: readonly UploadCondition[],
  fields: Readonly<Record<string, string>>,
  fileBytes: number,
): UploadRefusal | undefined {
  const value = (name: string) => {
    const lower = name.toLowerCase();
    const found = Object.keys(fields).find((f) =>
      lower === 'key' ? f === 'key' : f.toLowerCase() === lower,
    );
    return found === undefined ? undefined : fields[found];
  };
  const named = new Set<string>();
  const denied = (message: string): UploadRefusal => ({ status: 403, code: 'access-denied', message });
  for (const condition of conditions) {
    if (!Array.isArray(condition)) {
      for (const [name, expected] of Object.entries(condition)) {
        named.add(name.toLowerCase());
        if (value(name) !== expected)
          return denied(
            `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${expected}"]`,
          );
      }
    } else if (condition[0] === 'content-length-range') {
      const [, min, max] = condition;
      if (fileBytes > max)
        return {
          status: 400,
          code: 'entity-too-large',
          message: `Your proposed upload exceeds ${max} bytes.`,
        };
      if (fileBytes < min)
        return {
          status: 400,
          code: 'entity-too-small',
          message: `Your proposed upload is smaller than ${min} bytes.`,
        };
    } else {
      const [operator, field, expected] = condition;
      const name = field.slice(1);
      named.add(name.toLowerCase());
      const given = value(name) ?? '';
      if (operator === 'eq' ? given !== expected : !given.startsWith(expected))
        return denied(
          `Invalid according to Policy: Policy Condition failed: ["${operator}", "${field}", "${expected}"]`,
        );
    }
  }
  const extra = Object.keys(fields).filter(
    (f) => !POLICY_FIELDS.has(f.toLowerCase()) && !named.has(f.toLowerCase()),
  );
  if (extra.length > 0) return denied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
  return undefined;
}

export class LocalPhotoBucket implements PhotoBucket {
  /** The local server's address, known once it listens; the links and forms name it. */
  baseUrl = 'http://127.0.0.1';
  private readonly secret = randomBytes(32);

  constructor(
    /** The folder that stands for the bucket; object keys are paths under it. */
    readonly dir: string,
    private readonly clock: Clock,
  ) {}

  async presign(
    key: string,
    conditions: UploadCondition[],
    expiresSeconds: number,
  ): Promise<PresignedUpload> {
    const expiration = new Date(this.clock.now().getTime() + expiresSeconds * 1000).toISOString();
    const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
    return {
      url: `${this.baseUrl}${LOCAL_PHOTO_UPLOAD_PATH}`,
      fields: { key, policy, 'x-local-signature': this.sign(policy) },
    };
  }

  /**
   * Stores a form upload if its signed policy allows it (as S3 would), answering the key written or the refusal.
   * `fields` are the form's fields without the file.
   */
  async acceptUpload(
    fields: Readonly<Record<string, string>>,
    file: Uint8Array,
  ): Promise<{ ok: true; key: string } | ({ ok: false } & UploadRefusal)> {
    const policyText = fields.policy ?? '';
    if (!this.verify(policyText, fields['x-local-signature'] ?? '')) {
      return {
        ok: false,
        status: 403,
        code: 'access-denied',
        message: 'The policy or its signature is missing or wrong.',
      };
    }
    const policy = policySchema.parse(JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')));
    if (Date.parse(policy.expiration) <= this.clock.now().getTime()) {
      return {
        ok: false,
        status: 403,
        code: 'access-denied',
        message: 'Invalid according to Policy: Policy expired.',
      };
    }
    const refusal = meetsPolicy(policy.conditions as UploadCondition[], fields, file.length);
    if (refusal) return { ok: false, ...refusal };
    const key = fields.key ?? '';
    await this.put(key, Buffer.from(file));
    return { ok: true, key };
  }

  async read(key: string): Promise<Buffer | undefined> {
    return readFile(this.path(key)).catch(() => undefined);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async signedGetUrl(key: string, expiresSeconds: number): Promise<string> {
    const expires = Math.floor(this.clock.now().getTime() / 1000) + expiresSeconds;
    const signature = this.sign(`${key}\n${expires}`);
    return `${this.baseUrl}${LOCAL_PHOTO_VIEW_PATH}${key}?expires=${expires}&signature=${signature}`;
  }

  /** The object a signed link names, if the link is genuine and not expired. */
  async readSigned(key: string, expires: string, signature: string): Promise<Buffer | undefined> {
    if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= this.clock.now().getTime()) return undefined;
    if (!this.verify(`${key}\n${expires}`, signature)) return undefined;
    return this.read(key);
  }

  private sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }

  private verify(text: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(text));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Our keys only (uploads/<id>/<id>, photos/<id>/<id>.jpg); anything climbing out of the folder is refused. */
  private path(key: string): string {
    const parts = key.split('/');
    if (parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\\')))
      throw new Error(`Not a photo bucket key: ${key}`);
    return join(this.dir, ...parts);
  }
}
