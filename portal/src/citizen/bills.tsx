// Bills: sign in with a one-time code, then the bill list (a page at a time) with the usage chart, one bill with
// its breakdown and readings, and its receipt (print view and PDF).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { href } from '../shared/router.ts';
import { ErrorMessage, Loading } from '../shared/ui.tsx';
import { useAccountData } from './account-data.ts';
import { BillPage } from './bill.tsx';
import type { PageProps } from './context.ts';
import { ReceiptPage } from './receipt.tsx';
import { type AccountSession, isSessionOver } from './session.ts';
import { SignedInBar, SignIn, useAccountSession } from './sign-in.tsx';
import { explain, type T } from './strings.ts';
import { TableWrap } from './table-wrap.tsx';
import { UsageChart, type UsagePoint } from './usage-chart.tsx';

export interface BillSummary {
  period: string;
  issuedAt: string;
  dueDate: string;
  status: 'unpaid' | 'paid' | 'overdue';
  amountDueText: string;
  usage: { volume: number; unit: string; estimated: boolean };
}

const USAGE_MONTHS = 24;

export default function BillsPage(props: PageProps) {
  const { t, route } = props;
  const [session, setSession] = useAccountSession();
  const [notice, setNotice] = useState<string>();
  const period = route.segments[1];
  const receipt = route.segments[2] === 'receipt';
  const title = period ? t(receipt ? 'receipt.title' : 'bill.title', { period: props.f.period(period) }) : '';

  if (!session) {
    return (
      <>
        <h1>{period ? title : t('bills.title')}</h1>
        <SignIn
          t={t}
          notice={notice}
          onSignedIn={(next) => {
            setNotice(undefined);
            setSession(next);
          }}
        />
      </>
    );
  }
  const over = () => {
    setNotice(t('signin.expired'));
    setSession(undefined);
  };
  return (
    <>
      <SignedInBar t={t} session={session} onSignOut={() => setSession(undefined)} />
      {period && receipt ? (
        <ReceiptPage {...props} session={session} period={period} title={title} onSessionOver={over} />
      ) : period ? (
        <BillPage {...props} session={session} period={period} title={title} onSessionOver={over} />
      ) : (
        <BillList {...props} session={session} onSessionOver={over} />
      )}
    </>
  );
}

function BillList(props: PageProps & { session: AccountSession; onSessionOver: () => void }) {
  const { t, f, session, language } = props;
  const account = encodeURIComponent(session.accountNumber);
  const first = useAccountData<{ items: BillSummary[]; nextCursor: string | null }>(
    t,
    session,
    `/accounts/${account}/bills?limit=12`,
    props.onSessionOver,
    language,
  );
  const usage = useAccountData<{ items: UsagePoint[] }>(
    t,
    session,
    `/accounts/${account}/usage?months=${USAGE_MONTHS}`,
    props.onSessionOver,
    language,
  );
  const [more, setMore] = useState<BillSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setMore([]);
    setCursor(first.data?.nextCursor);
  }, [first.data]);

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await api<{ items: BillSummary[]; nextCursor: string | null }>(
        `/accounts/${account}/bills?limit=12&cursor=${encodeURIComponent(cursor)}`,
        { token: session.token },
      );
      setMore((items) => [...items, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      if (isSessionOver(e)) props.onSessionOver();
      else setError(explain(t, e));
    }
  };

  const bills = [...(first.data?.items ?? []), ...more];
  return (
    <>
      <h1>{t('bills.title')}</h1>
      {first.error && <ErrorMessage title={t('errorTitle')} message={first.error} />}
      {!first.data && !first.error && <Loading label={t('loading')} />}
      {first.data && bills.length === 0 && <p>{t('bills.none')}</p>}
      {bills.length > 0 && (
        <TableWrap label={t('bills.title')}>
          <table class="bills">
            <thead>
              <tr>
                <th scope="col">{t('bills.period')}</th>
                <th scope="col" class="num">
                  {t('bills.amount')}
                </th>
                <th scope="col">{t('bills.due')}</th>
                <th scope="col">{t('bills.status')}</th>
              </tr>
            </thead>
            <tbody>
              {bills.map((bill) => (
                <tr key={bill.period}>
                  <th scope="row">
                    <a href={href(`/bills/${bill.period}`)}>{f.period(bill.period)}</a>
                  </th>
                  <td class="num">{bill.amountDueText}</td>
                  <td>{f.date(bill.dueDate)}</td>
                  <td>
                    <StatusBadge t={t} status={bill.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {error && <ErrorMessage title={t('errorTitle')} message={error} />}
      {cursor && (
        <div class="actions">
          <button type="button" class="secondary" onClick={loadMore}>
            {t('bills.more')}
          </button>
        </div>
      )}
      {usage.error && <ErrorMessage title={t('errorTitle')} message={usage.error} />}
      {usage.data && <UsageChart points={usage.data.items} months={USAGE_MONTHS} t={t} f={f} />}
    </>
  );
}

/** A bill's status in words, with a colour that only repeats them. */
export function StatusBadge(props: { t: T; status: BillSummary['status'] }) {
  const tone = props.status === 'paid' ? 'ok' : props.status === 'overdue' ? 'bad' : 'warn';
  return <span class={`badge badge-${tone}`}>{props.t(`status.${props.status}`)}</span>;
}
