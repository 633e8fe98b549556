// Meter reading on the web: the window (open today or not, its days), the account's meters with a field per
// register, and the answer: what was recorded, or the same refusal the SMS reply gives.
import { useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { ErrorMessage, Loading, StatusMessage, TextField } from '../shared/ui.tsx';
import { useAccountData } from './account-data.ts';
import { registerName } from './bill.tsx';
import type { PageProps } from './context.ts';
import { type AccountSession, isSessionOver } from './session.ts';
import { SignedInBar, SignIn, useAccountSession } from './sign-in.tsx';
import { explain } from './strings.ts';

interface AccountView {
  accountNumber: string;
  meters: Array<{ id: string; kind: string; registers: string[] }>;
  readingWindow: { startDay: number; endDay: number; open: boolean };
}

export default function ReadingPage(props: PageProps) {
  const { t } = props;
  const [session, setSession] = useAccountSession();
  const [notice, setNotice] = useState<string>();
  if (!session) {
    return (
      <>
        <h1>{t('reading.title')}</h1>
        <WindowNote {...props} />
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
      <h1>{t('reading.title')}</h1>
      <Meters {...props} session={session} onSessionOver={over} />
    </>
  );
}

function WindowNote(props: PageProps & { open?: boolean }) {
  const { t, utility } = props;
  const days = { start: utility.readingWindow.startDay, end: utility.readingWindow.endDay };
  if (props.open === undefined) return <p>{t('home.window', days)}</p>;
  return (
    <p class={props.open ? 'window-open' : 'window-closed'}>
      {t(props.open ? 'reading.open' : 'reading.closed', days)}
    </p>
  );
}

function Meters(props: PageProps & { session: AccountSession; onSessionOver: () => void }) {
  const { t, session } = props;
  const account = useAccountData<AccountView>(
    t,
    session,
    `/accounts/${encodeURIComponent(session.accountNumber)}`,
    props.onSessionOver,
    props.language,
  );
  if (account.error) return <ErrorMessage title={t('errorTitle')} message={account.error} />;
  const data = account.data;
  if (!data) return <Loading label={t('loading')} />;
  return (
    <>
      <WindowNote {...props} open={data.readingWindow.open} />
      {data.meters.map((meter) => (
        <MeterForm key={meter.id} {...props} meter={meter} several={data.meters.length > 1} />
      ))}
    </>
  );
}

interface Accepted {
  reading: { period: string; values: Record<string, number>; consumption?: number };
  flagged: boolean;
  advice?: string;
}

function MeterForm(
  props: PageProps & {
    session: AccountSession;
    onSessionOver: () => void;
    meter: AccountView['meters'][number];
    several: boolean;
  },
) {
  const { t, f, meter, session } = props;
  const [values, setValues] = useState<Record<string, string>>({});
  const [email, setEmail] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [accepted, setAccepted] = useState<Accepted>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const send = async (event: Event) => {
    event.preventDefault();
    setAccepted(undefined);
    setError(undefined);
    const numbers = meter.registers.map((r) => (values[r] ?? '').trim());
    if (numbers.some((v) => !/^\d+$/.test(v))) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setBusy(true);
    try {
      const answer = await api<Accepted>(`/accounts/${encodeURIComponent(session.accountNumber)}/readings`, {
        token: session.token,
        body: {
          ...(props.several ? { meterId: meter.id } : {}),
          readings: numbers.map(Number),
          ...(email.trim() ? { email: email.trim() } : {}),
        },
      });
      setAccepted(answer);
    } catch (e) {
      if (isSessionOver(e)) props.onSessionOver();
      else setError(explain(t, e));
    } finally {
      setBusy(false);
    }
  };

  const recorded = accepted
    ? meter.registers
        .filter((r) => accepted.reading.values[r] !== undefined)
        .map((r) => `${registerName(t, r)} ${f.number(accepted.reading.values[r] ?? 0)}`)
        .join(', ')
    : '';
  return (
    <form class="card" onSubmit={send} noValidate>
      <fieldset>
        <legend>{t('reading.meter', { id: meter.id })}</legend>
        {meter.registers.map((register) => (
          <TextField
            key={register}
            label={registerName(t, register)}
            hint={t('reading.valueHint')}
            error={
              invalid && !/^\d+$/.test((values[register] ?? '').trim()) ? t('reading.invalid') : undefined
            }
            value={values[register] ?? ''}
            onValue={(value) => setValues((v) => ({ ...v, [register]: value }))}
            inputMode="numeric"
            autocomplete="off"
            required
          />
        ))}
        <TextField
          label={`${t('reading.email')} (${t('optional')})`}
          value={email}
          onValue={setEmail}
          type="email"
          autocomplete="email"
        />
      </fieldset>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('reading.send')}
        </button>
      </div>
      {error && <ErrorMessage title={t('errorTitle')} message={error} />}
      {accepted && (
        <StatusMessage>
          <p>{t('reading.accepted', { period: f.period(accepted.reading.period), values: recorded })}</p>
          {accepted.reading.consumption !== undefined && (
            <p>{t('reading.consumption', { value: f.number(accepted.reading.consumption) })}</p>
          )}
          {accepted.flagged && <p>{accepted.advice ?? t('reading.flagged')}</p>}
        </StatusMessage>
      )}
    </form>
  );
}
