// Track a report by its code: status, the dated history, the expected time, and what became of it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { href, navigate } from '../shared/router.ts';
import { ErrorMessage, Loading, TextField } from '../shared/ui.tsx';
import type { PageProps } from './context.ts';
import { explain, type Key } from './strings.ts';

type Status = 'received' | 'assigned' | 'in_progress' | 'resolved' | 'rejected';

interface PublicComplaint {
  trackingCode: string;
  typeName: string;
  status: Status;
  createdAt: string;
  expectedBy: string;
  history: Array<{ at: string; status: Status }>;
  rejectReason?: string;
  mergedInto?: string;
  address?: string;
  photos: number;
}

export function statusName(t: PageProps['t'], status: string): string {
  return t(`complaint.${status}` as Key);
}

export default function TrackPage({ t, f, route, language }: PageProps) {
  const code = route.segments[1] ?? '';
  const [input, setInput] = useState(code);
  const [complaint, setComplaint] = useState<PublicComplaint>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setInput(code);
    setComplaint(undefined);
    setError(undefined);
    if (!code) return;
    let live = true;
    api<PublicComplaint>(`/complaints/${encodeURIComponent(code)}`)
      .then((answer) => live && setComplaint(answer))
      .catch((e) => live && setError(explain(t, e)));
    return () => {
      live = false;
    };
  }, [code, language]);

  const find = (event: Event) => {
    event.preventDefault();
    const next = input.trim().toUpperCase();
    if (next) navigate(`/track/${encodeURIComponent(next)}`);
  };

  return (
    <>
      <h1>{t('track.title')}</h1>
      <form onSubmit={find} class="inline-form" noValidate>
        <TextField
          label={t('track.code')}
          hint={t('track.codeHint')}
          value={input}
          onValue={setInput}
          autocomplete="off"
          spellcheck={false}
          maxLength={20}
          required
        />
        <div class="actions">
          <button type="submit">{t('track.find')}</button>
        </div>
      </form>
      {error && <ErrorMessage title={t('errorTitle')} message={error} />}
      {code && !complaint && !error && <Loading label={t('loading')} />}
      {complaint && (
        <section class="card" aria-labelledby="complaint-heading">
          <h2 id="complaint-heading">
            <span class="tracking-code">{complaint.trackingCode}</span>
          </h2>
          <dl class="facts">
            <dt>{t('track.type')}</dt>
            <dd>{complaint.typeName}</dd>
            <dt>{t('track.status')}</dt>
            <dd>
              <strong class="complaint-status">{statusName(t, complaint.status)}</strong>
            </dd>
            <dt>{t('track.filed')}</dt>
            <dd>{f.dateTime(complaint.createdAt)}</dd>
            <dt>{t('track.expected')}</dt>
            <dd>{f.dateTime(complaint.expectedBy)}</dd>
            {complaint.address && (
              <>
                <dt>{t('track.place')}</dt>
                <dd>{complaint.address}</dd>
              </>
            )}
            <dt>{t('track.photos')}</dt>
            <dd class="photo-count">{f.number(complaint.photos)}</dd>
          </dl>
          {complaint.rejectReason && <p>{t('track.rejected', { reason: complaint.rejectReason })}</p>}
          {complaint.mergedInto && (
            <p>
              <a href={href(`/track/${complaint.mergedInto}`)}>
                {t('track.merged', { code: complaint.mergedInto })}
              </a>
            </p>
          )}
          <h3>{t('track.history')}</h3>
          <ol class="history">
            {complaint.history.map((step) => (
              <li key={`${step.at}-${step.status}`}>
                <time dateTime={step.at}>{f.dateTime(step.at)}</time>: {statusName(t, step.status)}
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
