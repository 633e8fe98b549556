// Sign-in with a one-time code: account number and phone -> a code by SMS -> an account token for this tab.
import { useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { ErrorMessage, StatusMessage, TextField } from '../shared/ui.tsx';
import { type AccountSession, loadSession, saveSession } from './session.ts';
import { explain, type T } from './strings.ts';

export function useAccountSession(): [
  AccountSession | undefined,
  (next: AccountSession | undefined) => void,
] {
  const [session, setSession] = useState(loadSession);
  const set = (next: AccountSession | undefined) => {
    saveSession(next);
    setSession(next);
  };
  return [session, set];
}

export function SignIn(props: { t: T; onSignedIn: (session: AccountSession) => void; notice?: string }) {
  const { t } = props;
  const [accountNumber, setAccountNumber] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<{ minutes: number }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const requestCode = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ expiresInSeconds: number }>('/auth/otp', {
        body: { accountNumber: accountNumber.trim(), phone: phone.trim() },
      });
      setSent({ minutes: Math.round(answer.expiresInSeconds / 60) });
    } catch (e) {
      setError(explain(t, e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ accessToken: string; expiresIn: number; accountNumber: string }>(
        '/auth/token',
        { body: { accountNumber: accountNumber.trim(), phone: phone.trim(), code: code.trim() } },
      );
      props.onSignedIn({
        accountNumber: answer.accountNumber,
        token: answer.accessToken,
        expiresAt: Date.now() + answer.expiresIn * 1000,
      });
    } catch (e) {
      setError(explain(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sign-in-heading" class="card">
      <h2 id="sign-in-heading">{t('signin.title')}</h2>
      {props.notice && <StatusMessage tone="info">{props.notice}</StatusMessage>}
      {error && <ErrorMessage title={t('errorTitle')} message={error} />}
      {!sent ? (
        <form onSubmit={requestCode} noValidate>
          <p>{t('signin.intro')}</p>
          <AccountAndPhone
            t={t}
            accountNumber={accountNumber}
            onAccountNumber={setAccountNumber}
            phone={phone}
            onPhone={setPhone}
          />
          <div class="actions">
            <button type="submit" disabled={busy}>
              {t('signin.sendCode')}
            </button>
          </div>
        </form>
      ) : (
        <form onSubmit={confirm} noValidate>
          <StatusMessage tone="info">{t('signin.codeSent', { minutes: sent.minutes })}</StatusMessage>
          <TextField
            label={t('signin.code')}
            hint={t('signin.codeHint')}
            value={code}
            onValue={setCode}
            inputMode="numeric"
            autocomplete="one-time-code"
            maxLength={6}
            required
          />
          <div class="actions">
            <button type="submit" disabled={busy}>
              {t('signin.confirm')}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setSent(undefined);
                setCode('');
                setError(undefined);
              }}
            >
              {t('signin.startOver')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Who is signed in, with the way out. */
export function SignedInBar(props: { t: T; session: AccountSession; onSignOut: () => void }) {
  return (
    <div class="signed-in no-print">
      <p>{props.t('signin.signedIn', { account: props.session.accountNumber })}</p>
      <button type="button" class="secondary" onClick={props.onSignOut}>
        {props.t('signin.signOut')}
      </button>
    </div>
  );
}

/** The account number and the phone registered on it: how a resident says who they are, here and at sign-up. */
export function AccountAndPhone(props: {
  t: T;
  accountNumber: string;
  onAccountNumber: (value: string) => void;
  phone: string;
  onPhone: (value: string) => void;
}) {
  const { t } = props;
  return (
    <>
      <TextField
        label={t('signin.account')}
        hint={t('signin.accountHint')}
        value={props.accountNumber}
        onValue={props.onAccountNumber}
        inputMode="numeric"
        autocomplete="off"
        required
      />
      <TextField
        label={t('signin.phone')}
        hint={t('signin.phoneHint')}
        value={props.phone}
        onValue={props.onPhone}
        type="tel"
        autocomplete="tel"
        required
      />
    </>
  );
}
