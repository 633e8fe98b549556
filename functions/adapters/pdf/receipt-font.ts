// Where the receipt font is: beside the Lambda bundle (copied there at bundling), else in node_modules.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Noto Sans KR: one font with Hangul, Cyrillic and Latin, so both demo utilities print with it. */
export const RECEIPT_FONT_PACKAGE_FILE =
  '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf';

/** The font's file name in the Lambda bundle, next to index.mjs (lib/utility-function.ts copies it there). */
export const RECEIPT_FONT_FILE = 'NotoSansKR_400Regular.ttf';

let found: string | undefined;

export function receiptFontPath(): string {
  if (found) return found;
  // In the bundle import.meta.url is index.mjs; from source it is this file, and the font is the package's.
  const beside = fileURLToPath(new URL(RECEIPT_FONT_FILE, import.meta.url));
  found = existsSync(beside) ? beside : createRequire(import.meta.url).resolve(RECEIPT_FONT_PACKAGE_FILE);
  return found;
}
