// OtpStore in memory: one code per (subject, phone) and one versioned send log per key.
import type { OtpStore, SendLog } from '#app/ports';
import type { OtpRecord } from '#domain/otp';

export class MemoryOtps implements OtpStore {
  readonly codes = new Map<string, OtpRecord>();
  readonly sendLogs = new Map<string, SendLog>();

  private key(subject: string, phone: string) {
    return `${subject}|${phone}`;
  }

  async get(subject: string, phone: string) {
    const record = this.codes.get(this.key(subject, phone));
    if (!record) return undefined;
    const { codeHash, expiresAt, attempts } = record;
    return { subject: record.subject, phone: record.phone, codeHash, expiresAt, attempts };
  }

  async put(record: OtpRecord) {
    this.codes.set(this.key(record.subject, record.phone), structuredClone(record));
  }

  async countAttempt(subject: string, phone: string, maxAttempts: number) {
    const record = this.codes.get(this.key(subject, phone));
    if (!record || record.attempts >= maxAttempts) return undefined;
    record.attempts += 1;
    return record.attempts;
  }

  async consume(subject: string, phone: string, codeHash: string) {
    if (this.codes.get(this.key(subject, phone))?.codeHash !== codeHash) return false;
    return this.codes.delete(this.key(subject, phone));
  }

  async getSendLog(key: string): Promise<SendLog> {
    return structuredClone(this.sendLogs.get(key) ?? { sentAt: [], version: 0 });
  }

  async putSendLog(key: string, sentAt: number[], expectedVersion: number) {
    // The table's optimistic lock: version 0 means "no log yet".
    if ((this.sendLogs.get(key)?.version ?? 0) !== expectedVersion) return false;
    this.sendLogs.set(key, { sentAt: [...sentAt], version: expectedVersion + 1 });
    return true;
  }
}
