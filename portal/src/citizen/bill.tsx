// One bill: amount, due date and status, the breakdown of charges and reductions, the meter readings it is
// based on, the payments, and the way to its receipt.
import { href } from '../shared/router.ts';
import { ErrorMessage, Loading } from '../shared/ui.tsx';
import { useAccountData } from './account-data.ts';
import { type BillSummary, StatusBadge } from './bills.tsx';
import type { PageProps } from './context.ts';
import { PdfDownload } from './pdf-download.tsx';
import type { AccountSession } from './session.ts';
import { TableWrap } from './table-wrap.tsx';

interface Line {
  code: string;
  label: string;
  volume?: number;
  amount: number;
}

interface BillDetail extends BillSummary {
  usagePeriod: { from: string; to: string };
  charges: Line[];
  reductions: Line[];
  arrears: number;
  lateFee: number;
  totals: { charges: number; reductions: number; paid: number; outstanding: number };
  payments: Array<{ paidAt: string; amount: number; method: string }>;
  meterReadings?: Array<{
    meterId: string;
    register: string;
    previous?: { value: number; date: string };
    current: { value: number; date: string };
    volume: number;
  }>;
  currency: string;
}

/** Amounts come in minor units (KRW won, RUB kopecks). */
const MINOR_UNITS: Record<string, number> = { KRW: 1, RUB: 100 };

export function BillPage(
  props: PageProps & { session: AccountSession; period: string; title: string; onSessionOver: () => void },
) {
  const { t, f, session, period } = props;
  const path = `/accounts/${encodeURIComponent(session.accountNumber)}/bills/${encodeURIComponent(period)}`;
  const bill = useAccountData<BillDetail>(t, session, path, props.onSessionOver, props.language);
  const b = bill.data;
  const money = (amount: number) => f.money(amount / (MINOR_UNITS[b?.currency ?? ''] ?? 1));
  return (
    <>
      <p class="no-print">
        <a href={href('/bills')}>{t('bill.back')}</a>
      </p>
      <h1>{props.title}</h1>
      {bill.error && <ErrorMessage title={t('errorTitle')} message={bill.error} />}
      {!b && !bill.error && <Loading label={t('loading')} />}
      {b && (
        <>
          <dl class="facts card">
            <dt>{t('bill.amountDue')}</dt>
            <dd class="amount">{b.amountDueText}</dd>
            <dt>{t('bills.due')}</dt>
            <dd>{f.date(b.dueDate)}</dd>
            <dt>{t('bills.status')}</dt>
            <dd>
              <StatusBadge t={t} status={b.status} />
            </dd>
            <dt>{t('bill.usagePeriod')}</dt>
            <dd>
              {f.date(b.usagePeriod.from)} – {f.date(b.usagePeriod.to)}
            </dd>
          </dl>
          <div class="actions">
            <a class="button" href={href(`/bills/${period}/receipt`)}>
              {t('bill.receipt')}
            </a>
            <PdfDownload t={t} apiBase={props.apiBase} session={session} period={period} />
          </div>
          <h2>{t('bill.breakdown')}</h2>
          <TableWrap label={t('bill.breakdown')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('bill.item')}</th>
                  <th scope="col" class="num">
                    {t('bill.volume')}
                  </th>
                  <th scope="col" class="num">
                    {t('bills.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...b.charges, ...b.reductions].map((line) => (
                  <tr key={line.code}>
                    <th scope="row">{line.label}</th>
                    <td class="num">{line.volume === undefined ? '' : f.number(line.volume)}</td>
                    <td class="num">{money(line.amount)}</td>
                  </tr>
                ))}
                {b.arrears !== 0 && (
                  <tr>
                    <th scope="row">{t('bill.arrears')}</th>
                    <td />
                    <td class="num">{money(b.arrears)}</td>
                  </tr>
                )}
                {b.lateFee !== 0 && (
                  <tr>
                    <th scope="row">{t('bill.lateFee')}</th>
                    <td />
                    <td class="num">{money(b.lateFee)}</td>
                  </tr>
                )}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('bill.amountDue')}</th>
                  <td />
                  <td class="num">{b.amountDueText}</td>
                </tr>
                <tr>
                  <th scope="row">{t('bill.paid')}</th>
                  <td />
                  <td class="num">{money(b.totals.paid)}</td>
                </tr>
                <tr>
                  <th scope="row">{t('bill.outstanding')}</th>
                  <td />
                  <td class="num">{money(b.totals.outstanding)}</td>
                </tr>
              </tfoot>
            </table>
          </TableWrap>
          <h2>{t('bill.readings')}</h2>
          {b.meterReadings && b.meterReadings.length > 0 ? (
            <TableWrap label={t('bill.readings')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('bill.meter')}</th>
                    <th scope="col">{t('bill.register')}</th>
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
                  {b.meterReadings.map((r) => (
                    <tr key={`${r.meterId}-${r.register}`}>
                      <th scope="row">{r.meterId}</th>
                      <td>{registerName(t, r.register)}</td>
                      <td class="num">
                        {r.previous ? `${f.number(r.previous.value)} (${f.date(r.previous.date)})` : '–'}
                      </td>
                      <td class="num">
                        {f.number(r.current.value)} ({f.date(r.current.date)})
                      </td>
                      <td class="num">{f.number(r.volume)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : (
            <p>{t('bill.noReadings')}</p>
          )}
          {b.payments.length > 0 && (
            <>
              <h2>{t('bill.payments')}</h2>
              <ul>
                {b.payments.map((p) => (
                  <li key={p.paidAt}>
                    {f.dateTime(p.paidAt)}: {money(p.amount)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </>
  );
}

export function registerName(t: PageProps['t'], register: string): string {
  const key = `reading.register.${register}`;
  const text = t(key as 'reading.register.total');
  return text === key ? register : text;
}
