// The complaint queue: one district's complaints in one status, oldest first, a page at a time, with the ones past
// their due time marked in words and by row (never by colour alone).
import { useEffect, useState } from 'preact/hooks';
import { href, navigate, useFocusHeading } from '../shared/router.ts';
import { ErrorMessage, Loading, SelectField, TextField } from '../shared/ui.tsx';
import { label, type PageProps, problemMessage } from './desk.ts';

const STATUSES = ['received', 'assigned', 'in_progress', 'resolved', 'rejected'] as const;

export interface QueuedComplaint {
  id: string;
  trackingCode: string;
  type: string;
  typeName: string;
  status: string;
  district: string;
  description: string;
  address?: string;
  createdAt: string;
  dueAt: string;
  slaBreachedAt?: string;
  possibleDuplicates: string[];
}

interface QueuePage {
  items: QueuedComplaint[];
  nextCursor?: string;
}

/** Past due: the SLA job marked it, or its due time has passed while it is open. */
export function pastDue(complaint: { status: string; dueAt?: string; slaBreachedAt?: string }): boolean {
  const open = complaint.status !== 'resolved' && complaint.status !== 'rejected';
  return (
    Boolean(complaint.slaBreachedAt) ||
    (open && !!complaint.dueAt && Date.parse(complaint.dueAt) < Date.now())
  );
}

export function QueuePage({ desk, route }: PageProps) {
  const { t, me, fmt } = desk;
  useFocusHeading('queue');
  // Staff of every district also see the central desk's queue (complaints nothing placed in a district).
  const districts = me.allDistricts ? [...me.visibleDistricts, 'central'] : me.visibleDistricts;
  const district = route.query.get('district') ?? districts[0] ?? '';
  const status = route.query.get('status') ?? 'received';
  const [chosen, setChosen] = useState({ district, status });
  const [items, setItems] = useState<QueuedComplaint[]>();
  const [cursor, setCursor] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');

  const load = async (after?: string) => {
    setBusy(true);
    setFailure(undefined);
    try {
      const query = new URLSearchParams({ status, limit: '25' });
      if (district) query.set('district', district);
      if (after) query.set('cursor', after);
      const page = await desk.call<QueuePage>(`/admin/complaints?${query}`);
      setItems((current) => (after ? [...(current ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    setChosen({ district, status });
    setItems(undefined);
    load();
  }, [district, status, desk.language]);

  const show = (event: Event) => {
    event.preventDefault();
    navigate(`/complaints?${new URLSearchParams(chosen)}`);
  };
  const openCode = (event: Event) => {
    event.preventDefault();
    if (code.trim()) navigate(`/complaints/${encodeURIComponent(code.trim())}`);
  };

  return (
    <>
      <h1>{t('queueTitle')}</h1>
      <form class="filters" onSubmit={show}>
        <SelectField
          label={t('district')}
          value={chosen.district}
          onValue={(value) => setChosen({ ...chosen, district: value })}
          options={districts.map((code) => ({ value: code, label: desk.districtName(code) }))}
        />
        <SelectField
          label={t('status')}
          value={chosen.status}
          onValue={(value) => setChosen({ ...chosen, status: value })}
          options={STATUSES.map((code) => ({ value: code, label: label(t, 'st_', code) }))}
        />
        <div class="actions">
          <button type="submit">{t('show')}</button>
        </div>
      </form>
      <form class="filters" onSubmit={openCode}>
        <TextField label={t('openComplaintLabel')} value={code} onValue={setCode} autocomplete="off" />
        <div class="actions">
          <button type="submit" class="secondary">
            {t('open')}
          </button>
        </div>
      </form>
      {failure !== undefined && <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />}
      {items === undefined ? (
        !failure && <Loading label={t('loading')} />
      ) : items.length === 0 ? (
        <p role="status">{t('noComplaints')}</p>
      ) : (
        <div class="table-wrap">
          <table class="queue">
            <caption>
              {t('queueCaption')}: {desk.districtName(district)}, {label(t, 'st_', status)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('colCode')}</th>
                <th scope="col">{t('colType')}</th>
                <th scope="col">{t('colFiled')}</th>
                <th scope="col">{t('colDue')}</th>
                <th scope="col">{t('colDescription')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const late = pastDue(item);
                return (
                  <tr key={item.id} class={late ? 'breach' : undefined}>
                    <th scope="row">
                      <a href={href(`/complaints/${item.id}`)} class="tracking-link">
                        {item.trackingCode}
                      </a>
                    </th>
                    <td>{desk.typeName(item)}</td>
                    <td>{fmt.dateTime(item.createdAt)}</td>
                    <td>
                      {fmt.dateTime(item.dueAt)} {late && <span class="badge badge-bad">{t('pastDue')}</span>}
                    </td>
                    <td>
                      {item.possibleDuplicates.length > 0 && (
                        <span class="badge badge-warn">{t('possibleDuplicate')}</span>
                      )}{' '}
                      {item.description.length > 120
                        ? `${item.description.slice(0, 120)}…`
                        : item.description}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => load(cursor)}>
            {t('more')}
          </button>
        </div>
      )}
    </>
  );
}
