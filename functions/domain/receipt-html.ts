// A receipt as one printable, self-contained HTML page: inline styles, print rules, no scripts, every text escaped.
import { createHash } from 'node:crypto';
import type { Receipt } from './receipt.ts';
import { receiptWords } from './receipt-text.ts';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML element or a quoted attribute: nothing in it can open a tag or close the attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] as string);
}

const STYLE = `
*{box-sizing:border-box}
body{font-family:"Noto Sans KR","Malgun Gothic","Apple SD Gothic Neo","Noto Sans",Arial,sans-serif;color:#111;margin:0;background:#f4f4f4}
main{max-width:46rem;margin:1.5rem auto;padding:2rem;background:#fff;border:1px solid #ccc}
h1{font-size:1.5rem;margin:0 0 .25rem}
h2{font-size:1.05rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #111;padding-bottom:.2rem}
.utility{margin:0 0 1rem;color:#444}
.statement{border:2px solid #b00;color:#b00;padding:.5rem .75rem;font-weight:bold;margin:1rem 0}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{color:#555}dd{margin:0}
.total td{font-weight:bold;border-top:2px solid #111}
footer{margin-top:1.5rem;color:#555;font-size:.9rem}
@media print{body{background:#fff}main{margin:0;border:0;max-width:none;padding:0}@page{size:A4;margin:15mm}h2,tr{break-inside:avoid}}
`.trim();

/**
 * The page needs nothing from anywhere (no scripts, images, fonts or frames): only its own style element, allowed
 * by its hash rather than 'unsafe-inline', so even markup that escaped escaping could neither run nor style.
 */
export const RECEIPT_HTML_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function renderReceiptHtml(receipt: Receipt): string {
  const words = receiptWords[receipt.language];
  const l = words.labels;
  const e = escapeHtml;
  const row = (label: string, value: string) => `<dt>${e(label)}</dt><dd>${e(value)}</dd>`;
  const money = (label: string, text: string, total = false) =>
    `<tr${total ? ' class="total"' : ''}><td colspan="3">${e(label)}</td><td class="n">${e(text)}</td></tr>`;

  const details = [
    row(l.account, receipt.accountNumber),
    row(l.holder, receipt.holderName),
    row(l.address, receipt.address),
    row(l.period, receipt.periodText),
    row(l.usagePeriod, receipt.usagePeriod.text),
    row(l.usage, receipt.usage.text),
    ...(receipt.usage.method ? [row(l.method, words.methods[receipt.usage.method])] : []),
    row(l.issued, receipt.issued.text),
    row(l.dueDate, receipt.dueDate.text),
    row(l.status, receipt.statusText),
    ...(receipt.virtualAccount
      ? [row(l.virtualAccount, `${receipt.virtualAccount.bank} ${receipt.virtualAccount.number}`)]
      : []),
  ].join('');

  const readings =
    receipt.meterReadings.length === 0
      ? ''
      : `<h2>${e(l.meterReadings)}</h2><table><thead><tr><th>${e(l.meter)}</th><th class="n">${e(l.previous)}</th><th class="n">${e(l.current)}</th><th class="n">${e(l.volume)}</th></tr></thead><tbody>${receipt.meterReadings
          .map((m) => {
            const reading = (r: (typeof m)['current'] | null) =>
              r ? `${r.value} (${r.dateText}, ${words.readingKinds[r.kind]})` : '—';
            return `<tr><td>${e(`${m.meterId} ${m.register}`)}</td><td class="n">${e(reading(m.previous))}</td><td class="n">${e(reading(m.current))}</td><td class="n">${e(m.volumeText)}</td></tr>`;
          })
          .join('')}</tbody></table>`;

  const charges = receipt.charges
    .map(
      (c) =>
        `<tr><td>${e(c.label)}</td><td class="n">${c.volume === null ? '' : e(String(c.volume))}</td><td class="n">${c.rate === null ? '' : e(String(c.rate))}</td><td class="n">${e(c.amount.text)}</td></tr>`,
    )
    .join('');
  const reductions = receipt.reductions
    .map((r) => money(`${l.reductions}: ${r.label}`, `−${r.amount.text}`))
    .join('');
  const totals = [
    ...(receipt.arrears.amount > 0 ? [money(l.arrears, receipt.arrears.text)] : []),
    ...(receipt.lateFee.amount > 0 ? [money(l.lateFee, receipt.lateFee.text)] : []),
    money(l.amountDue, receipt.amountDue.text, true),
    ...(receipt.sharePerHousehold
      ? [
          money(
            `${l.sharePerHousehold} (${l.households} ${receipt.households})`,
            receipt.sharePerHousehold.text,
          ),
        ]
      : []),
    money(l.amountPaid, receipt.amountPaid.text),
    money(l.outstanding, receipt.outstanding.text, true),
  ].join('');

  const payments =
    receipt.payments.length === 0
      ? `<p>${e(l.none)}</p>`
      : `<table><thead><tr><th>${e(l.paidAt)}</th><th>${e(l.paymentMethod)}</th><th>${e(l.reference)}</th><th class="n">${e(l.amount)}</th></tr></thead><tbody>${receipt.payments
          .map(
            (p) =>
              `<tr><td>${e(p.paidAtText)}</td><td>${e(p.methodText)}</td><td>${e(p.reference ?? '—')}</td><td class="n">${e(p.amount.text)}</td></tr>`,
          )
          .join('')}</tbody></table>`;

  return `<!DOCTYPE html>
<html lang="${e(receipt.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${receipt.title} ${receipt.accountNumber} ${receipt.period}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${e(receipt.title)}</h1>
<p class="utility">${e(receipt.utility.name)}</p>
${receipt.statement ? `<p class="statement">${e(receipt.statement)}</p>` : ''}
<dl>${details}</dl>
${readings}
<h2>${e(l.charges)}</h2>
<table><thead><tr><th></th><th class="n">${e(l.volume)}</th><th class="n">${e(l.rate)}</th><th class="n">${e(l.amount)}</th></tr></thead>
<tbody>${charges}${reductions}${totals}</tbody></table>
<h2>${e(l.payments)}</h2>
${payments}
<footer>${e(`${l.contact}: ${receipt.utility.contactPhone}`)}</footer>
</main>
</body>
</html>
`;
}
