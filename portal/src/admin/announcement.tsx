// One announcement after it was sent: where it goes, its texts, its status and the run's counts so far.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LANGUAGE_NAMES } from '../shared/i18n.ts';
import { href, useFocusHeading } from '../shared/router.ts';
import { ErrorMessage, Loading, StatusMessage } from '../shared/ui.tsx';
import { label, type PageProps, problemMessage } from './desk.ts';
import { type RunCounts, RunCountsTable } from './run-counts.tsx';

export interface Announcement {
  id: string;
  kind: string;
  districts: string[];
  texts: Record<string, string>;
  sendAt: string;
  createdAt: string;
  status: string;
  progress: RunCounts | null;
}

export function AnnouncementPage({ desk, route }: PageProps) {
  const { t, fmt } = desk;
  const id = route.segments[1] ?? '';
  useFocusHeading(`announcement/${id}`);
  const [announcement, setAnnouncement] = useState<Announcement>();
  const [failure, setFailure] = useState<unknown>();
  const load = () => {
    setFailure(undefined);
    desk
      .call<Announcement>(`/admin/announcements/${encodeURIComponent(id)}`)
      .then(setAnnouncement, setFailure);
  };
  useEffect(load, [id]);

  return (
    <>
      <h1>{t('announcementTitle')}</h1>
      {route.query.get('sent') && <StatusMessage>{t('announcementSent')}</StatusMessage>}
      {failure !== undefined && <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />}
      {!announcement ? (
        !failure && <Loading label={t('loading')} />
      ) : (
        <>
          <dl class="facts">
            <dt>{t('status')}</dt>
            <dd class="announcement-status">{label(t, 'ast_', announcement.status)}</dd>
            <dt>{t('kind')}</dt>
            <dd>{label(t, 'kind_', announcement.kind)}</dd>
            <dt>{t('districts')}</dt>
            <dd>{announcement.districts.map(desk.districtName).join(', ')}</dd>
            <dt>{t('colSendAt')}</dt>
            <dd>{fmt.dateTime(announcement.sendAt)}</dd>
            <dt>{t('created')}</dt>
            <dd>{fmt.dateTime(announcement.createdAt)}</dd>
            {Object.entries(announcement.texts).map(([language, text]) => (
              <Fragment key={language}>
                <dt>{LANGUAGE_NAMES[language] ?? language}</dt>
                <dd lang={language} class="message">
                  {text}
                </dd>
              </Fragment>
            ))}
          </dl>
          {announcement.progress && (
            <RunCountsTable desk={desk} report={announcement.progress} caption={t('announcementTitle')} />
          )}
        </>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={load}>
          {t('refresh')}
        </button>
        <a class="button secondary" href={href('/announcements/new')}>
          {t('newAnnouncement')}
        </a>
      </div>
    </>
  );
}
