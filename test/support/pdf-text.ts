// Reads back the text of a PDF pdfkit wrote: its streams inflated, glyph ids mapped through the font's ToUnicode map.
import { inflateSync } from 'node:zlib';

function streams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const found: string[] = [];
  const pattern = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (const match of text.matchAll(pattern)) {
    const bytes = Buffer.from(match[1] ?? '', 'latin1');
    try {
      found.push(inflateSync(bytes).toString('latin1'));
    } catch {
      found.push(bytes.toString('latin1'));
    }
  }
  return found;
}

/** Glyph id -> text, from every ToUnicode CMap in the file (pdfkit writes bfrange arrays). */
function toUnicode(cmaps: string[]): Map<number, string> {
  const map = new Map<number, string>();
  const hexText = (hex: string) =>
    String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16)));
  for (const cmap of cmaps) {
    for (const [, start, list] of cmap.matchAll(/<([0-9a-fA-F]+)>\s*<[0-9a-fA-F]+>\s*\[([^\]]*)\]/g)) {
      [...(list ?? '').matchAll(/<([0-9a-fA-F]+)>/g)].forEach(([, hex], i) => {
        map.set(Number.parseInt(start ?? '0', 16) + i, hexText(hex ?? ''));
      });
    }
    for (const [, glyph, hex] of cmap.matchAll(/<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>\s*$/gm)) {
      map.set(Number.parseInt(glyph ?? '0', 16), hexText(hex ?? ''));
    }
  }
  return map;
}

/** The PDF's text, one line per text-showing operation, in the order it is drawn. */
export function pdfText(pdf: Buffer): string {
  const all = streams(pdf);
  const glyphs = toUnicode(all.filter((s) => s.includes('begincmap')));
  const lines: string[] = [];
  for (const content of all.filter((s) => /\bTJ\b/.test(s))) {
    for (const [, array] of content.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?[\d.]+)*)\]\s*TJ/g)) {
      const ids = [...(array ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].flatMap(([, hex]) =>
        (hex?.match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16)),
      );
      lines.push(ids.map((id) => glyphs.get(id) ?? '\uFFFD').join(''));
    }
  }
  return lines.join('\n');
}
