// A receipt as a PDF (pdfkit), printed with the one font that covers Hangul and Cyrillic.
import PDFDocument from 'pdfkit';
import type { Receipt } from '#domain/receipt';
import { receiptWords } from '#domain/receipt-text';
import { receiptFontPath } from './receipt-font.ts';

/** How an amount names its currency where the font has no glyph for the symbol (Noto Sans KR has no ₽). */
const CURRENCY_TEXT: Record<string, Record<string, string>> = { RUB: { ru: 'руб.', ko: '루블', en: 'RUB' } };

const MARGIN = 50;
const PAGE = { width: 595.28, height: 841.89 };
const WIDTH = PAGE.width - 2 * MARGIN;

interface Cell {
  text: string;
  width: number;
  align?: 'left' | 'right';
}

type Glyphs = (codePoint: number) => boolean;

/** pdfkit's fontkit font answers which characters it can draw; a pdfkit without it gets every symbol replaced. */
function glyphsOf(doc: PDFKit.PDFDocument): Glyphs {
  const font = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (c: number) => boolean } } })
    ._font?.font;
  const has = font?.hasGlyphForCodePoint?.bind(font);
  return has ?? (() => false);
}

export interface PdfOptions {
  /** The document's creation date (the clock's now), so the same receipt makes the same bytes. */
  createdAt: Date;
  /** Off only where a test reads the page content as written. */
  compress?: boolean;
}

export function renderReceiptPdf(receipt: Receipt, options: PdfOptions): Promise<Buffer> {
  const words = receiptWords[receipt.language];
  const l = words.labels;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    font: receiptFontPath(),
    lang: receipt.language,
    compress: options.compress ?? true,
    info: {
      Title: `${receipt.title} ${receipt.accountNumber} ${receipt.period}`,
      Author: receipt.utility.name,
      CreationDate: options.createdAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const has = glyphsOf(doc);
  const currencyText = CURRENCY_TEXT[receipt.currency]?.[receipt.language] ?? receipt.currency;
  // A currency symbol the font cannot draw becomes its name; any other missing character a visible '?'.
  const printable = (text: string) =>
    [...text]
      .map((char) => {
        if (has(char.codePointAt(0) as number)) return char;
        return /\p{Sc}/u.test(char) ? currencyText : /\s/.test(char) ? ' ' : '?';
      })
      .join('');

  const row = (cells: Cell[], size = 10) => {
    doc.fontSize(size);
    const height = Math.max(
      ...cells.map((c) => doc.heightOfString(printable(c.text), { width: c.width - 4 })),
    );
    if (doc.y + height > PAGE.height - MARGIN) doc.addPage();
    const top = doc.y;
    let x = MARGIN;
    for (const cell of cells) {
      doc.text(printable(cell.text), x, top, { width: cell.width - 4, align: cell.align ?? 'left' });
      x += cell.width;
    }
    doc.x = MARGIN;
    doc.y = top + height + 3;
  };
  const heading = (text: string) => {
    doc.moveDown(0.6);
    row([{ text, width: WIDTH }], 13);
    doc
      .moveTo(MARGIN, doc.y - 1)
      .lineTo(MARGIN + WIDTH, doc.y - 1)
      .stroke();
    doc.moveDown(0.3);
  };
  const detail = (label: string, value: string) =>
    row([
      { text: label, width: 150 },
      { text: value, width: WIDTH - 150 },
    ]);
  const amount = (label: string, text: string) =>
    row([
      { text: label, width: WIDTH - 140 },
      { text, width: 140, align: 'right' },
    ]);

  row([{ text: receipt.title, width: WIDTH }], 20);
  row([{ text: receipt.utility.name, width: WIDTH }], 11);
  if (receipt.statement) {
    doc.moveDown(0.4);
    doc.fillColor('#b00000');
    row([{ text: `${receipt.statusText}: ${receipt.statement}`, width: WIDTH }], 11);
    doc.fillColor('black');
  }
  doc.moveDown(0.4);
  detail(l.account, receipt.accountNumber);
  detail(l.holder, receipt.holderName);
  detail(l.address, receipt.address);
  detail(l.period, receipt.periodText);
  detail(l.usagePeriod, receipt.usagePeriod.text);
  detail(l.usage, receipt.usage.text);
  if (receipt.usage.method) detail(l.method, words.methods[receipt.usage.method]);
  detail(l.issued, receipt.issued.text);
  detail(l.dueDate, receipt.dueDate.text);
  detail(l.status, receipt.statusText);
  if (receipt.virtualAccount) {
    detail(l.virtualAccount, `${receipt.virtualAccount.bank} ${receipt.virtualAccount.number}`);
  }

  if (receipt.meterReadings.length > 0) {
    heading(l.meterReadings);
    const columns = [145, 130, 130, WIDTH - 405];
    const cells = (texts: string[]) =>
      texts.map(
        (text, i) => ({ text, width: columns[i] as number, align: i > 0 ? 'right' : 'left' }) as Cell,
      );
    row(cells([l.meter, l.previous, l.current, l.volume]));
    for (const m of receipt.meterReadings) {
      const reading = (r: Receipt['meterReadings'][number]['current'] | null) =>
        r ? `${r.value} (${r.dateText}, ${words.readingKinds[r.kind]})` : '—';
      row(cells([`${m.meterId} ${m.register}`, reading(m.previous), reading(m.current), m.volumeText]));
    }
  }

  heading(l.charges);
  const chargeColumns = [WIDTH - 320, 80, 100, 140];
  const chargeCells = (texts: string[]) =>
    texts.map(
      (text, i) => ({ text, width: chargeColumns[i] as number, align: i > 0 ? 'right' : 'left' }) as Cell,
    );
  row(chargeCells(['', l.volume, l.rate, l.amount]));
  for (const c of receipt.charges) {
    row(
      chargeCells([
        c.label,
        c.volume === null ? '' : String(c.volume),
        c.rate === null ? '' : String(c.rate),
        c.amount.text,
      ]),
    );
  }
  for (const r of receipt.reductions) amount(`${l.reductions}: ${r.label}`, `−${r.amount.text}`);
  if (receipt.arrears.amount > 0) amount(l.arrears, receipt.arrears.text);
  if (receipt.lateFee.amount > 0) amount(l.lateFee, receipt.lateFee.text);
  amount(l.amountDue, receipt.amountDue.text);
  if (receipt.sharePerHousehold) {
    amount(`${l.sharePerHousehold} (${l.households} ${receipt.households})`, receipt.sharePerHousehold.text);
  }
  amount(l.amountPaid, receipt.amountPaid.text);
  amount(l.outstanding, receipt.outstanding.text);

  heading(l.payments);
  if (receipt.payments.length === 0) row([{ text: l.none, width: WIDTH }]);
  for (const p of receipt.payments) {
    row([
      { text: p.paidAtText, width: 150 },
      { text: p.methodText, width: 100 },
      { text: p.reference ?? '—', width: WIDTH - 390 },
      { text: p.amount.text, width: 140, align: 'right' },
    ]);
  }

  doc.moveDown(1);
  row([{ text: `${l.contact}: ${receipt.utility.contactPhone}`, width: WIDTH }], 9);
  doc.end();
  return done;
}
