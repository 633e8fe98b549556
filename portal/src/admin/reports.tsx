// Notice reports: the recent announcements with their status and counts, and a bill-notice run by kind and period.
import { useEffect, useState } from 'preact/hooks';
import { href, useFocusHeading } from '../shared/router.ts';
import { ErrorMessage, Loading, SelectField, TextField } from '../shared/ui.tsx';
import { wallTime } from '../shared/zoned-time.ts';
import type { Announcement } from './announcement.tsx';
import { label, type PageProps, problemMessage } from './desk.ts';
import { type RunCounts, RunCountsTable } from './run-counts.tsx';

const RUN_KINDS = ['bill', 'reading-window', 'due-reminder', 'leak-check', 'auto-pay-result'] as const;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export function ReportsPage({ desk }: PageProps) {
  const { t, fmt } = desk;
  useFocusHeading('reports');
  const [announcements, setAnnouncements] = useState<Announcement[]>();
  const [listFailure, setListFailure] = useState<unknown>();
  const [kind, setKind] = useState<string>('bill');
  const [period, setPeriod] = useState(() => wallTime(new Date(), desk.utility.timeZone).slice(0, 7));
  const [periodError, setPeriodError] = useState(false);
  const [report, setReport] = useState<RunCounts>();
  const [runFailure, setRunFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    desk
      .call<{ items: Announcement[] }>('/admin/announcements?limit=20')
      .then((answer) => setAnnouncements(answer.items), setListFailure);
  }, []);

  const showRun = async (event: Event) => {
    event.preventDefault();
    const bad = !PERIOD.test(period.trim());
    setPeriodError(bad);
    if (bad) return;
    setBusy(true);
    setRunFailure(undefined);
    setReport(undefined);
    try {
      setReport(
        await desk.call<RunCounts>(
          `/admin/notice-runs/${encodeURIComponent(kind)}/${encodeURIComponent(period.trim())}`,
        ),
      );
    } catch (error) {
      setRunFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('reportsTitle')}</h1>
      <h2>{t('recentAnnouncements')}</h2>
      {listFailure !== undefined && (
        <ErrorMessage title={t('errorTitle')} message={problemMessage(t, listFailure)} />
      )}
      {announcements === undefined ? (
        !listFailure && <Loading label={t('loading')} />
      ) : announcements.length === 0 ? (
        <p>{t('noAnnouncements')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{t('recentAnnouncements')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colSendAt')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('districts')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col" class="num">
                  {t('colPlanned')}
                </th>
                <th scope="col" class="num">
                  {t('colSent')}
                </th>
              </tr>
            </thead>
            <tbody>
              {announcements.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    <a href={href(`/announcements/${item.id}`)}>{fmt.dateTime(item.sendAt)}</a>
                  </th>
                  <td>{label(t, 'kind_', item.kind)}</td>
                  <td>{item.districts.map(desk.districtName).join(', ')}</td>
                  <td>{label(t, 'ast_', item.status)}</td>
                  <td class="num">{fmt.number(item.progress?.counts.planned ?? 0)}</td>
                  <td class="num">{fmt.number(item.progress?.counts.sent ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('noticeRunTitle')}</h2>
      <form onSubmit={showRun} noValidate>
        <SelectField
          label={t('runKind')}
          value={kind}
          onValue={setKind}
          options={RUN_KINDS.map((code) => ({ value: code, label: label(t, 'run_', code) }))}
        />
        <TextField
          label={t('period')}
          hint={t('periodHint')}
          error={periodError ? t('periodInvalid') : undefined}
          value={period}
          onValue={setPeriod}
          inputMode="numeric"
          maxLength={7}
        />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('showRun')}
          </button>
        </div>
      </form>
      {runFailure !== undefined && (
        <ErrorMessage title={t('errorTitle')} message={problemMessage(t, runFailure)} />
      )}
      {report && (
        <RunCountsTable
          desk={desk}
          report={report}
          caption={t('runCaption', {
            run: report.run ?? `${kind}/${period}`,
            status: label(t, 'ast_', report.status ?? ''),
          })}
        />
      )}
    </>
  );
}
