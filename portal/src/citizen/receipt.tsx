// A bill's receipt as the utility writes it (in its own language, formatted by the API), laid out for printing:
// the print stylesheet drops the header, the navigation and the buttons.
import { href } from '../shared/router.ts';
import { ErrorMessage, Loading } from '../shared/ui.tsx';
import { useAccountData } from './account-data.ts';
import type { PageProps } from './context.ts';
import { PdfDownload } from './pdf-download.tsx';
import type { AccountSession } from './session.ts';
import { TableWrap } from './table-wrap.tsx';

interface Money {
  amount: number;
  text: string;
}

interface Receipt {
  language: string;
  title: string;
  utility: { name: string; contactPhone: string };
  accountNumber: string;
  holderName: string;
  address: string;
  periodText: string;
  issued: { text: string };
  usagePeriod: { text: string };
  usage: { text: string };
  meterReadings: Array<{
    meterId: string;
    register: string;
    previous: { value: number; dateText: string } | null;
    current: { value: number; dateText: string };
    volumeText: string;
  }>;
  charges: Array<{ code: string; label: string; amount: Money }>;
  reductions: Array<{ code: string; label: string; amount: Money }>;
  arrears: Money;
  lateFee: Money;
  amountDue: Money;
  dueDate: { text: string };
  payments: Array<{ paidAtText: string; methodText: string; amount: Money }>;
  amountPaid: Money;
  outstanding: Money;
  statusText: string;
  statement: string | null;
  virtualAccount: { bank: string; number: string } | null;
  sharePerHousehold: Money | null;
}

export function ReceiptPage(
  props: PageProps & { session: AccountSession; period: string; title: string; onSessionOver: () => void },
) {
  const { t, session, period } = props;
  const path = `/accounts/${encodeURIComponent(session.accountNumber)}/bills/${encodeURIComponent(period)}/receipt`;
  const receipt = useAccountData<Receipt>(t, session, path, props.onSessionOver, props.language);
  const r = receipt.data;
  return (
    <>
      <p class="no-print">
        <a href={href(`/bills/${period}`)}>{t('bill.title', { period: props.f.period(period) })}</a>
      </p>
      <h1 class="no-print">{props.title}</h1>
      {receipt.error && <ErrorMessage title={t('errorTitle')} message={receipt.error} />}
      {!r && !receipt.error && <Loading label={t('loading')} />}
      {r && (
        <>
          <div class="actions">
            <button type="button" onClick={() => window.print()}>
              {t('receipt.print')}
            </button>
            <PdfDownload t={t} apiBase={props.apiBase} session={session} period={period} />
          </div>
          <article class="receipt card" aria-labelledby="receipt-title">
            <h2 id="receipt-title" lang={r.language}>
              {r.title} · {r.periodText}
            </h2>
            <p>
              {r.utility.name} · {r.utility.contactPhone}
            </p>
            {r.statement && <p class="statement">{r.statement}</p>}
            <dl class="facts">
              <dt>{t('receipt.account')}</dt>
              <dd>{r.accountNumber}</dd>
              <dt>{t('receipt.holder')}</dt>
              <dd>{r.holderName}</dd>
              <dt>{t('receipt.address')}</dt>
              <dd>{r.address}</dd>
              <dt>{t('receipt.issued')}</dt>
              <dd>{r.issued.text}</dd>
              <dt>{t('bill.usagePeriod')}</dt>
              <dd>{r.usagePeriod.text}</dd>
              <dt>{t('bills.usage')}</dt>
              <dd>{r.usage.text}</dd>
            </dl>
            <TableWrap label={t('receipt.total')}>
              <table>
                <tbody>
                  {[...r.charges, ...r.reductions].map((line) => (
                    <tr key={line.code}>
                      <th scope="row">{line.label}</th>
                      <td class="num">{line.amount.text}</td>
                    </tr>
                  ))}
                  {r.arrears.amount !== 0 && (
                    <tr>
                      <th scope="row">{t('bill.arrears')}</th>
                      <td class="num">{r.arrears.text}</td>
                    </tr>
                  )}
                  {r.lateFee.amount !== 0 && (
                    <tr>
                      <th scope="row">{t('bill.lateFee')}</th>
                      <td class="num">{r.lateFee.text}</td>
                    </tr>
                  )}
                  <tr>
                    <th scope="row">{t('receipt.total')}</th>
                    <td class="num">{r.amountDue.text}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t('bill.paid')}</th>
                    <td class="num">{r.amountPaid.text}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t('bill.outstanding')}</th>
                    <td class="num">{r.outstanding.text}</td>
                  </tr>
                  {r.sharePerHousehold && (
                    <tr>
                      <th scope="row">{t('receipt.share')}</th>
                      <td class="num">{r.sharePerHousehold.text}</td>
                    </tr>
                  )}
                </tbody>
              </table>
            </TableWrap>
            <dl class="facts">
              <dt>{t('bills.due')}</dt>
              <dd>{r.dueDate.text}</dd>
              <dt>{t('receipt.status')}</dt>
              <dd>{r.statusText}</dd>
              {r.virtualAccount && (
                <>
                  <dt>{t('receipt.virtualAccount')}</dt>
                  <dd>
                    {r.virtualAccount.bank} {r.virtualAccount.number}
                  </dd>
                </>
              )}
            </dl>
            {r.meterReadings.length > 0 && (
              <TableWrap label={t('bill.readings')}>
                <table>
                  <caption>{t('bill.readings')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('bill.meter')}</th>
                      <th scope="col" class="num">
                        {t('bill.previous')}
                      </th>
                      <th scope="col" class="num">
                        {t('bill.current')}
                      </th>
                      <th scope="col" class="num">
                        {t('bill.volume')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.meterReadings.map((m) => (
                      <tr key={`${m.meterId}-${m.register}`}>
                        <th scope="row">
                          {m.meterId} {m.register}
                        </th>
                        <td class="num">
                          {m.previous ? `${m.previous.value} (${m.previous.dateText})` : '–'}
                        </td>
                        <td class="num">
                          {m.current.value} ({m.current.dateText})
                        </td>
                        <td class="num">{m.volumeText}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            {r.payments.length > 0 && (
              <ul>
                {r.payments.map((p) => (
                  <li key={p.paidAtText}>
                    {p.paidAtText} · {p.methodText} · {p.amount.text}
                  </li>
                ))}
              </ul>
            )}
          </article>
        </>
      )}
    </>
  );
}
