// The sign-in page: locally a form that asks the local issuer for a token of a role and districts; in AWS a button
// that goes to the user pool's hosted sign-in (the code comes back to the console and is exchanged there).
import { useState } from 'preact/hooks';
import type { PortalConfig } from '../shared/api.ts';
import type { Translate } from '../shared/i18n.ts';
import { useFocusHeading } from '../shared/router.ts';
import { ErrorMessage, SelectField, StatusMessage } from '../shared/ui.tsx';
import type { Utility } from '../shared/utility.ts';
import { type StaffSession, signInLocally, startHostedSignIn } from './session.ts';
import type { Key } from './strings.ts';

export function SignIn(props: {
  config: PortalConfig;
  t: Translate<Key>;
  utility: Utility;
  notice?: 'sessionExpired' | 'signInFailed';
  onSignedIn: (session: StaffSession) => void;
}) {
  const { t, config } = props;
  const [role, setRole] = useState<'admin' | 'staff'>('admin');
  const [districts, setDistricts] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  useFocusHeading('sign-in');

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailed(false);
    try {
      if (config.staffSignIn.kind === 'cognito') await startHostedSignIn(config.staffSignIn);
      else
        props.onSignedIn(await signInLocally(config.staffSignIn.tokenPath, config.apiBase, role, districts));
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (code: string, on: boolean) =>
    setDistricts((current) => (on ? [...current, code] : current.filter((c) => c !== code)));

  return (
    <>
      <h1>{t('signInTitle')}</h1>
      {props.notice && <StatusMessage tone="info">{t(props.notice)}</StatusMessage>}
      {failed && <ErrorMessage title={t('errorTitle')} message={t('signInFailed')} />}
      <form onSubmit={submit}>
        {config.staffSignIn.kind === 'local' ? (
          <>
            <p class="hint">{t('signInLocalHint')}</p>
            <SelectField
              label={t('role')}
              value={role}
              onValue={(value) => setRole(value === 'staff' ? 'staff' : 'admin')}
              options={[
                { value: 'admin', label: t('roleAdmin') },
                { value: 'staff', label: t('roleStaff') },
              ]}
            />
            <fieldset>
              <legend>{t('districtsLegend')}</legend>
              {props.utility.districts.map((district) => (
                <label class="check" key={district.code}>
                  <input
                    type="checkbox"
                    name="district"
                    value={district.code}
                    checked={districts.includes(district.code)}
                    onChange={(event) => toggle(district.code, event.currentTarget.checked)}
                  />
                  {district.name}
                </label>
              ))}
            </fieldset>
          </>
        ) : (
          <p class="hint">{t('signInHostedHint')}</p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {config.staffSignIn.kind === 'local' ? t('signIn') : t('signInHosted')}
          </button>
        </div>
      </form>
    </>
  );
}
