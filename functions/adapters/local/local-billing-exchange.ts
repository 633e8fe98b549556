// The billing exchange as a local folder: readings/<period>.csv out, bills/incoming|rejects|processed/ as in the bucket.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { dropName } from '#app/bill-drop';
import type { BillDrop, BillDropFiles, ReadingExports } from '#app/ports';
import type { Period } from '#domain/period';

/** A content hash stands in for S3's version id: the same bytes dropped again are the same version. */
export function localDropVersion(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

export class LocalBillingExchange implements ReadingExports, BillDropFiles {
  constructor(
    /** The folder that stands for the bucket; object keys are paths under it. */
    readonly dir: string,
  ) {}

  async put(period: Period, csv: string): Promise<{ location: string }> {
    return { location: await this.write(`readings/${period}.csv`, csv) };
  }

  /** Puts a file where the utility's system drops them; answers the drop to import. */
  async drop(name: string, bytes: Uint8Array): Promise<BillDrop> {
    const key = `bills/incoming/${name}`;
    await this.write(key, bytes);
    return { key, version: localDropVersion(bytes) };
  }

  async read(drop: BillDrop): Promise<Buffer | undefined> {
    const bytes = await readFile(this.path(drop.key)).catch(() => undefined);
    // Another file dropped under the same name since is another version: this one is gone.
    return bytes && localDropVersion(bytes) === drop.version ? bytes : undefined;
  }

  async putRejects(drop: BillDrop, csv: string): Promise<string> {
    return this.write(`bills/rejects/${dropName(drop.key)}`, csv);
  }

  async archive(drop: BillDrop): Promise<void> {
    if (!(await this.read(drop))) return;
    const target = this.path(`bills/processed/${dropName(drop.key)}`);
    await mkdir(dirname(target), { recursive: true });
    await rename(this.path(drop.key), target);
  }

  private path(key: string): string {
    return join(this.dir, ...key.split('/'));
  }

  private async write(key: string, content: string | Uint8Array): Promise<string> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    return path;
  }
}
