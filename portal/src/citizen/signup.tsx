// Sign-up for bill notices: account number, phone, the channel (the messenger or SMS, where the utility has a
// messenger) and the current consent -> a code texted to the phone -> verified (with a new code on request).
import { useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { ErrorMessage, StatusMessage, TextField } from '../shared/ui.tsx';
import { ChannelChoice, channelName } from './channel-choice.tsx';
import { Checkbox } from './checkbox.tsx';
import type { PageProps } from './context.ts';
import { AccountAndPhone } from './sign-in.tsx';
import { explain } from './strings.ts';

interface Verified {
  subscription: { status: string; effectiveMonth: string | null; channel: string };
}

export default function SignUpPage({ utility, language, t, f }: PageProps) {
  const [accountNumber, setAccountNumber] = useState('');
  const [phone, setPhone] = useState('');
  // The messenger, where there is one, comes first and is the default: the API lists it first. An answer from an
  // API older than the page (for the moments of a deploy) names no channels: SMS alone then.
  const channels = utility.channels ?? [{ code: 'sms' as const }];
  const [channel, setChannel] = useState(channels[0]?.code ?? 'sms');
  const messenger = channels.find((c) => c.code === 'messenger');
  const [consent, setConsent] = useState(false);
  const [consentError, setConsentError] = useState<string>();
  const [pending, setPending] = useState<{ id: string; minutes: number }>();
  const [code, setCode] = useState('');
  const [verified, setVerified] = useState<Verified>();
  const [info, setInfo] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setInfo(undefined);
    try {
      await work();
    } catch (e) {
      setError(explain(t, e));
    } finally {
      setBusy(false);
    }
  };

  const signUp = (event: Event) => {
    event.preventDefault();
    if (!consent) {
      setConsentError(t('signup.consentNeeded'));
      return;
    }
    setConsentError(undefined);
    return run(async () => {
      const answer = await api<{ id: string; expiresInSeconds: number }>('/subscriptions', {
        body: {
          accountNumber: accountNumber.trim(),
          phone: phone.trim(),
          channel,
          language,
          consentVersion: utility.consent.version,
        },
      });
      setPending({ id: answer.id, minutes: Math.round(answer.expiresInSeconds / 60) });
    });
  };

  const verify = (event: Event) => {
    event.preventDefault();
    return run(async () => {
      const id = encodeURIComponent(pending?.id ?? '');
      setVerified(await api<Verified>(`/subscriptions/${id}/verify`, { body: { code: code.trim() } }));
    });
  };

  const resend = () =>
    run(async () => {
      await api(`/subscriptions/${encodeURIComponent(pending?.id ?? '')}/code`, { method: 'POST' });
      setCode('');
      setInfo(t('signup.resent'));
    });

  return (
    <>
      <h1>{t('signup.title')}</h1>
      {error && <ErrorMessage title={t('errorTitle')} message={error} />}
      {verified ? (
        <StatusMessage>
          <p>
            {verified.subscription.channel === 'messenger'
              ? t('signup.verifiedMessenger', { messenger: channelName(t, messenger) })
              : t('signup.verifiedSms')}
          </p>
          {verified.subscription.effectiveMonth && (
            <p>{t('signup.from', { period: f.period(verified.subscription.effectiveMonth) })}</p>
          )}
        </StatusMessage>
      ) : !pending ? (
        <form onSubmit={signUp} noValidate>
          <p>
            {messenger
              ? t('signup.introMessenger', { messenger: channelName(t, messenger) })
              : t('signup.intro')}
          </p>
          <AccountAndPhone
            t={t}
            accountNumber={accountNumber}
            onAccountNumber={setAccountNumber}
            phone={phone}
            onPhone={setPhone}
          />
          {channels.length > 1 && (
            <ChannelChoice channels={channels} value={channel} onValue={setChannel} t={t} />
          )}
          <p class="consent-text" lang={utility.language}>
            {utility.consent.text}
          </p>
          <Checkbox checked={consent} onChecked={setConsent} error={consentError} required>
            {t('signup.consent')}
          </Checkbox>
          <div class="actions">
            <button type="submit" disabled={busy}>
              {t('signup.send')}
            </button>
          </div>
        </form>
      ) : (
        <form onSubmit={verify} noValidate>
          <StatusMessage tone="info">
            {info ?? t('signup.codeSent', { minutes: pending.minutes })}
          </StatusMessage>
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
              {t('signup.verify')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={resend}>
              {t('signup.resend')}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
