// One complaint for staff: what was reported, where, by whom (as the API gives it), its photos, history and possible
// duplicates; and the work on it: a status change with a note, an internal note, a merge, a forward to a district.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { href, useFocusHeading } from '../shared/router.ts';
import { ErrorMessage, Loading, SelectField, StatusMessage, TextArea, TextField } from '../shared/ui.tsx';
import { type Desk, focusFirstInvalid, label, type PageProps, problemMessage } from './desk.ts';
import { pastDue } from './queue.tsx';

interface HistoryEntry {
  at: string;
  by: { kind: 'resident' | 'staff' | 'system'; subject?: string };
  action: string;
  from?: string;
  to?: string;
  note?: string;
  other?: string;
  fromDistrict?: string;
  toDistrict?: string;
}

interface Photo {
  id: string;
  status: 'awaiting-upload' | 'ready' | 'rejected';
  reason?: string;
}

export interface StaffComplaint {
  id: string;
  trackingCode: string;
  type: string;
  typeName: string;
  description?: string;
  status: string;
  district: string;
  address?: string;
  location?: { lat: number; long: number };
  phone?: string;
  contactConsent?: boolean;
  accountNumber?: string;
  language?: string;
  attributes?: Record<string, string | number | string[]>;
  rejectReason?: string;
  dueAt?: string;
  slaBreachedAt?: string;
  resolvedAt?: string;
  mergedInto?: string;
  duplicates?: string[];
  possibleDuplicates?: string[];
  photos?: Photo[];
  history: HistoryEntry[];
  allowedTransitions: string[];
}

interface WorkflowResult {
  complaint: StaffComplaint;
  reporterUpdate?: 'queued' | 'held' | 'not-asked';
}

export function ComplaintPage({ desk, route }: PageProps) {
  const { t } = desk;
  const id = route.segments[1] ?? '';
  useFocusHeading(`complaint/${id}`);
  const [complaint, setComplaint] = useState<StaffComplaint>();
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState<string>();

  useEffect(() => {
    setFailure(undefined);
    // Another complaint's page must not stay on screen while this one loads.
    setComplaint((shown) => (shown && (shown.id === id || shown.trackingCode === id) ? shown : undefined));
    setDone(undefined);
    desk.call<StaffComplaint>(`/admin/complaints/${encodeURIComponent(id)}`).then(setComplaint, setFailure);
  }, [id, desk.language]);

  if (!complaint) {
    return (
      <>
        <h1>{t('complaintTitle', { code: id })}</h1>
        <p>
          <a href={href('/complaints')}>{t('backToQueue')}</a>
        </p>
        {failure ? (
          <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />
        ) : (
          <Loading label={t('loading')} />
        )}
      </>
    );
  }

  const changed = (next: StaffComplaint, message: string) => {
    setComplaint(next);
    setDone(message);
  };

  return (
    <>
      <h1 data-id={complaint.id} data-code={complaint.trackingCode}>
        {t('complaintTitle', { code: complaint.trackingCode })}{' '}
        <span class="badge">{label(t, 'st_', complaint.status)}</span>
        {pastDue(complaint) && <span class="badge badge-bad">{t('pastDue')}</span>}
      </h1>
      <p class="no-print">
        <a href={href(`/complaints?district=${complaint.district}&status=${complaint.status}`)}>
          {t('backToQueue')}
        </a>
      </p>
      {done && <StatusMessage>{done}</StatusMessage>}
      <Facts desk={desk} complaint={complaint} />
      <Photos desk={desk} complaint={complaint} />
      <History desk={desk} complaint={complaint} />
      <h2>{t('possibleDuplicates')}</h2>
      <CodeList codes={complaint.possibleDuplicates ?? []} none={t('none')} />
      {(complaint.duplicates ?? []).length > 0 && (
        <>
          <h2>{t('duplicates')}</h2>
          <CodeList codes={complaint.duplicates ?? []} none={t('none')} />
        </>
      )}
      <MoveForm desk={desk} complaint={complaint} onChanged={changed} />
      <NoteForm desk={desk} complaint={complaint} onChanged={changed} />
      {complaint.allowedTransitions.length > 0 && !complaint.mergedInto && (
        <>
          <MergeForm desk={desk} complaint={complaint} onChanged={changed} />
          <ForwardForm desk={desk} complaint={complaint} onChanged={changed} />
        </>
      )}
    </>
  );
}

function Row(props: { name: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{props.name}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

function Facts({ desk, complaint }: { desk: Desk; complaint: StaffComplaint }) {
  const { t, fmt } = desk;
  const type = desk.utility.complaintTypes.find((candidate) => candidate.code === complaint.type);
  const answer = (code: string, value: string | number | string[]) => {
    const field = type?.attributes.find((a) => a.code === code);
    const name = (key: string) => field?.values?.find((v) => v.key === key)?.name ?? key;
    // A date and time is stored as an instant: staff read it on the utility's clock, as the resident wrote it.
    const when =
      field?.datatype === 'datetime' && typeof value === 'string' && !Number.isNaN(Date.parse(value));
    return {
      name: field?.name ?? code,
      text: Array.isArray(value)
        ? value.map(name).join(', ')
        : when
          ? fmt.dateTime(value)
          : typeof value === 'string'
            ? name(value)
            : typeof value === 'number'
              ? fmt.number(value)
              : String(value),
    };
  };
  return (
    <dl class="facts">
      <Row name={t('type')}>{desk.typeName(complaint)}</Row>
      <Row name={t('district')}>{desk.districtName(complaint.district)}</Row>
      <Row name={t('place')}>
        {complaint.address && <span>{complaint.address} </span>}
        {complaint.location && (
          <span>
            {t('coordinates')}: {complaint.location.lat}, {complaint.location.long}
          </span>
        )}
        {!complaint.address && !complaint.location && t('none')}
      </Row>
      {complaint.description && <Row name={t('description')}>{complaint.description}</Row>}
      {Object.entries(complaint.attributes ?? {}).map(([code, value]) => {
        const shown = answer(code, value);
        return (
          <Row key={code} name={shown.name}>
            {shown.text}
          </Row>
        );
      })}
      <Row name={t('contact')}>
        {complaint.phone ? `${t('phone')}: ${complaint.phone}` : t('none')}
        {complaint.phone && ` · ${t('consent')}: ${complaint.contactConsent ? t('yes') : t('no')}`}
        {complaint.accountNumber && ` · ${t('account')}: ${complaint.accountNumber}`}
        {complaint.language && ` · ${t('reporterLanguage')}: ${complaint.language}`}
      </Row>
      {complaint.dueAt && <Row name={t('due')}>{fmt.dateTime(complaint.dueAt)}</Row>}
      {complaint.resolvedAt && <Row name={t('resolvedAt')}>{fmt.dateTime(complaint.resolvedAt)}</Row>}
      {complaint.rejectReason && <Row name={t('rejectReason')}>{complaint.rejectReason}</Row>}
      {complaint.mergedInto && (
        <Row name={t('status')}>
          <a href={href(`/complaints/${complaint.mergedInto}`)}>
            {t('mergedInto', { code: complaint.mergedInto })}
          </a>
        </Row>
      )}
    </dl>
  );
}

function Photos({ desk, complaint }: { desk: Desk; complaint: StaffComplaint }) {
  const { t } = desk;
  const photos = complaint.photos ?? [];
  const [links, setLinks] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const show = async (photo: Photo) => {
    try {
      const link = await desk.call<{ url: string }>(`/admin/complaints/${complaint.id}/photos/${photo.id}`);
      setLinks((current) => ({ ...current, [photo.id]: link.url }));
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <>
      <h2>{t('photos')}</h2>
      {failure !== undefined && <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />}
      {photos.length === 0 ? (
        <p>{t('noPhotos')}</p>
      ) : (
        <ul class="photos">
          {photos.map((photo, index) => {
            const n = index + 1;
            if (photo.status === 'awaiting-upload')
              return <li key={photo.id}>{t('photoAwaiting', { n })}</li>;
            if (photo.status === 'rejected')
              return <li key={photo.id}>{t('photoRejected', { n, reason: photo.reason ?? '' })}</li>;
            const url = links[photo.id];
            return (
              <li key={photo.id}>
                {url ? (
                  <img class="photo" src={url} alt={t('photoAlt', { n, code: complaint.trackingCode })} />
                ) : (
                  <button type="button" class="secondary" onClick={() => show(photo)}>
                    {t('showPhoto', { n })}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

function History({ desk, complaint }: { desk: Desk; complaint: StaffComplaint }) {
  const { t, fmt } = desk;
  const who = (entry: HistoryEntry) =>
    entry.by.kind === 'staff'
      ? t('by_staff', { subject: entry.by.subject ?? '' })
      : label(t, 'by_', entry.by.kind);
  const what = (entry: HistoryEntry) =>
    entry.action === 'routed'
      ? t('act_routed', {
          from: desk.districtName(entry.fromDistrict ?? ''),
          to: desk.districtName(entry.toDistrict ?? ''),
        })
      : label(t, 'act_', entry.action)
          .replace('{from}', label(t, 'st_', entry.from ?? ''))
          .replace('{to}', label(t, 'st_', entry.to ?? ''))
          .replace('{other}', entry.other ?? '');
  return (
    <>
      <h2>{t('history')}</h2>
      <ol class="history">
        {complaint.history.map((entry, index) => (
          <li key={`${entry.at}-${index}`}>
            <time dateTime={entry.at}>{fmt.dateTime(entry.at)}</time> · {who(entry)} ·{' '}
            <strong>{what(entry)}</strong>
            {entry.note && <p class="history-note">{entry.note}</p>}
          </li>
        ))}
      </ol>
    </>
  );
}

function CodeList(props: { codes: string[]; none: string }) {
  if (props.codes.length === 0) return <p>{props.none}</p>;
  return (
    <ul>
      {props.codes.map((code) => (
        <li key={code}>
          <a href={href(`/complaints/${code}`)}>{code}</a>
        </li>
      ))}
    </ul>
  );
}

interface FormProps {
  desk: Desk;
  complaint: StaffComplaint;
  onChanged: (complaint: StaffComplaint, message: string) => void;
}

/** A form's sending state: busy while the call runs, the failure it ended with. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await work();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, run };
}

/** One action on the complaint: its heading, the failure of its last send, its fields and its one button. */
function FormSection(props: {
  id: string;
  title: string;
  submitLabel: string;
  /** Drawn as a lesser action than a status change. */
  secondary?: boolean;
  t: Desk['t'];
  busy: boolean;
  failure: unknown;
  onSubmit: (event: Event) => void;
  children: ComponentChildren;
}) {
  const { t, failure } = props;
  return (
    <section aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {failure !== undefined && <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />}
      <form onSubmit={props.onSubmit}>
        {props.children}
        <div class="actions">
          <button type="submit" class={props.secondary ? 'secondary' : undefined} disabled={props.busy}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
}

function MoveForm({ desk, complaint, onChanged }: FormProps) {
  const { t } = desk;
  const [to, setTo] = useState(complaint.allowedTransitions[0] ?? '');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, failure, run } = useSubmit();
  useEffect(() => setTo(complaint.allowedTransitions[0] ?? ''), [complaint.status]);
  if (complaint.allowedTransitions.length === 0) {
    return (
      <>
        <h2>{t('moveTitle')}</h2>
        <p>{t('noMoves')}</p>
      </>
    );
  }
  const submit = (event: Event) => {
    event.preventDefault();
    const needsNote = to === 'rejected' && !note.trim();
    setMissing(needsNote);
    if (needsNote) return focusFirstInvalid();
    run(async () => {
      const result = await desk.call<WorkflowResult>(`/admin/complaints/${complaint.id}/transitions`, {
        body: { to, note: note.trim() || undefined },
      });
      setNote('');
      const told =
        result.reporterUpdate === 'queued'
          ? ` ${t('reporterQueued')}`
          : result.reporterUpdate === 'held'
            ? ` ${t('reporterHeld')}`
            : '';
      onChanged(
        result.complaint,
        `${t('moved', { status: label(t, 'st_', result.complaint.status) })}${told}`,
      );
    });
  };
  return (
    <FormSection
      id="move"
      title={t('moveTitle')}
      submitLabel={t('move')}
      t={t}
      busy={busy}
      failure={failure}
      onSubmit={submit}
    >
      <SelectField
        label={t('moveTo')}
        value={to}
        onValue={setTo}
        options={complaint.allowedTransitions.map((code) => ({
          value: code,
          label: label(t, 'st_', code),
        }))}
      />
      <TextArea
        label={t('note')}
        hint={t('moveNoteHint')}
        error={missing ? t('rejectNeedsNote') : undefined}
        value={note}
        onValue={setNote}
        maxLength={2000}
        rows={3}
      />
    </FormSection>
  );
}

function NoteForm({ desk, complaint, onChanged }: FormProps) {
  const { t } = desk;
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, failure, run } = useSubmit();
  const submit = (event: Event) => {
    event.preventDefault();
    setMissing(!note.trim());
    if (!note.trim()) return focusFirstInvalid();
    run(async () => {
      const next = await desk.call<StaffComplaint>(`/admin/complaints/${complaint.id}/notes`, {
        body: { note: note.trim() },
      });
      setNote('');
      onChanged(next, t('noted'));
    });
  };
  return (
    <FormSection
      id="note"
      title={t('noteTitle')}
      submitLabel={t('addNote')}
      t={t}
      busy={busy}
      failure={failure}
      onSubmit={submit}
    >
      <TextArea
        label={t('note')}
        hint={t('noteHint')}
        error={missing ? t('required') : undefined}
        value={note}
        onValue={setNote}
        maxLength={2000}
        rows={3}
      />
    </FormSection>
  );
}

function MergeForm({ desk, complaint, onChanged }: FormProps) {
  const { t } = desk;
  const [into, setInto] = useState(complaint.possibleDuplicates?.[0] ?? '');
  const [missing, setMissing] = useState(false);
  const { busy, failure, run } = useSubmit();
  const submit = (event: Event) => {
    event.preventDefault();
    const code = into.trim().toUpperCase();
    setMissing(!code);
    if (!code) return focusFirstInvalid();
    run(async () => {
      const result = await desk.call<WorkflowResult>(`/admin/complaints/${complaint.id}/merge`, {
        body: { into: code },
      });
      onChanged(result.complaint, t('merged', { code }));
    });
  };
  return (
    <FormSection
      id="merge"
      title={t('mergeTitle')}
      submitLabel={t('merge')}
      secondary
      t={t}
      busy={busy}
      failure={failure}
      onSubmit={submit}
    >
      <TextField
        label={t('mergeInto')}
        hint={t('mergeHint')}
        error={missing ? t('required') : undefined}
        value={into}
        onValue={setInto}
        maxLength={20}
        autocomplete="off"
      />
    </FormSection>
  );
}

function ForwardForm({ desk, complaint, onChanged }: FormProps) {
  const { t } = desk;
  const targets = [...desk.utility.districts.map((d) => d.code), 'central'].filter(
    (c) => c !== complaint.district,
  );
  const [district, setDistrict] = useState(targets[0] ?? '');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, failure, run } = useSubmit();
  const submit = (event: Event) => {
    event.preventDefault();
    setMissing(!note.trim());
    if (!note.trim()) return focusFirstInvalid();
    run(async () => {
      const next = await desk.call<StaffComplaint>(`/admin/complaints/${complaint.id}/district`, {
        body: { district, note: note.trim() },
      });
      setNote('');
      onChanged(next, t('forwarded', { district: desk.districtName(district) }));
    });
  };
  return (
    <FormSection
      id="forward"
      title={t('forwardTitle')}
      submitLabel={t('forward')}
      secondary
      t={t}
      busy={busy}
      failure={failure}
      onSubmit={submit}
    >
      <SelectField
        label={t('forwardTo')}
        value={district}
        onValue={setDistrict}
        options={targets.map((code) => ({ value: code, label: desk.districtName(code) }))}
      />
      <TextArea
        label={t('note')}
        error={missing ? t('required') : undefined}
        value={note}
        onValue={setNote}
        maxLength={2000}
        rows={2}
      />
    </FormSection>
  );
}
