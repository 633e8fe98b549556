// Report a problem: the type and its own questions, the place (address, map pin, coordinates or the device's
// location), contact and description; a possible duplicate is shown before filing anyway; then photos and the
// tracking code.
import { useState } from 'preact/hooks';
import { type ApiError, api } from '../shared/api.ts';
import { ErrorMessage, SelectField, StatusMessage, TextArea, TextField } from '../shared/ui.tsx';
import { type AnswerValue, AttributeField, answerFor } from './attribute-field.tsx';
import { Checkbox } from './checkbox.tsx';
import type { PageProps } from './context.ts';
import { type LatLong, LocationMap } from './location-map.tsx';
import { PhotoUpload } from './photo-upload.tsx';
import { explain } from './strings.ts';
import { statusName } from './track.tsx';

interface Duplicate {
  trackingCode?: string;
  typeName: string;
  status: string;
  createdAt: string;
  meters?: number;
}

interface Filed {
  id: string;
  trackingCode: string;
  expectedBy: string;
}

export default function ReportPage(props: PageProps) {
  const [filed, setFiled] = useState<Filed>();
  const [round, setRound] = useState(0);
  if (filed) {
    return (
      <FiledReport
        {...props}
        filed={filed}
        onAnother={() => {
          setFiled(undefined);
          setRound(round + 1);
        }}
      />
    );
  }
  return <ReportForm key={round} {...props} onFiled={setFiled} />;
}

function ReportForm(props: PageProps & { onFiled: (filed: Filed) => void }) {
  const { t, f, utility, language } = props;
  const [typeCode, setTypeCode] = useState('');
  const [answers, setAnswers] = useState<Record<string, AnswerValue>>({});
  const [address, setAddress] = useState('');
  const [lat, setLat] = useState('');
  const [long, setLong] = useState('');
  const [description, setDescription] = useState('');
  const [phone, setPhone] = useState('');
  const [contactConsent, setContactConsent] = useState(false);
  const [accountNumber, setAccountNumber] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ message: string; fields?: string[] }>();
  const [duplicates, setDuplicates] = useState<Duplicate[]>();
  const [locating, setLocating] = useState<'idle' | 'busy' | 'failed'>('idle');
  const [busy, setBusy] = useState(false);

  const type = utility.complaintTypes.find((candidate) => candidate.code === typeCode);
  const attributes = [...(type?.attributes ?? [])].sort((a, b) => a.order - b.order);
  const pin: LatLong | undefined =
    lat.trim() !== '' && long.trim() !== '' && Number.isFinite(Number(lat)) && Number.isFinite(Number(long))
      ? { lat: Number(lat), long: Number(long) }
      : undefined;

  const setPin = (value: LatLong) => {
    setLat(String(value.lat));
    setLong(String(value.long));
  };

  const locate = () => {
    if (!navigator.geolocation) {
      setLocating('failed');
      return;
    }
    setLocating('busy');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setPin({
          lat: Math.round(position.coords.latitude * 1e5) / 1e5,
          long: Math.round(position.coords.longitude * 1e5) / 1e5,
        });
        setLocating('idle');
      },
      () => setLocating('failed'),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  /** What the form lacks before anything is sent, by field. */
  const check = (): Record<string, string> => {
    const missing: Record<string, string> = {};
    if (!type) missing.type = t('problem.unknown-complaint-type');
    for (const attribute of attributes) {
      if (attribute.required && answerFor(attribute, answers[attribute.code], utility.timeZone) === undefined)
        missing[`attributes.${attribute.code}`] = t('report.needAnswer');
    }
    if (!address.trim() && !pin) missing.place = t('report.needPlace');
    if (!description.trim()) missing.description = t('report.needAnswer');
    return missing;
  };

  const send = async (confirmDuplicates: boolean) => {
    const missing = check();
    setFieldErrors(missing);
    if (Object.keys(missing).length > 0) {
      setError({ message: t('problem.validation-error') });
      return;
    }
    setError(undefined);
    setBusy(true);
    const attributeAnswers: Record<string, unknown> = {};
    for (const attribute of attributes) {
      const answer = answerFor(attribute, answers[attribute.code], utility.timeZone);
      if (answer !== undefined) attributeAnswers[attribute.code] = answer;
    }
    try {
      const answer = await api<Filed>('/complaints', {
        body: {
          type: typeCode,
          description: description.trim(),
          ...(address.trim() ? { address: address.trim() } : {}),
          ...(pin ? { location: pin } : {}),
          ...(phone.trim() ? { phone: phone.trim(), contactConsent, language } : {}),
          ...(accountNumber.trim() ? { accountNumber: accountNumber.trim() } : {}),
          ...(attributes.length > 0 ? { attributes: attributeAnswers } : {}),
          ...(confirmDuplicates ? { confirmDuplicates: true } : {}),
        },
      });
      props.onFiled(answer);
    } catch (e) {
      const problem = (e as ApiError).problem;
      if (problem?.code === 'possible-duplicate') {
        setDuplicates((problem.extensions.possibleDuplicates as Duplicate[] | undefined) ?? []);
      } else {
        const byField: Record<string, string> = {};
        for (const item of problem?.errors ?? []) {
          byField[item.field] = item.message === 'required' ? t('report.needAnswer') : item.message;
        }
        setFieldErrors(byField);
        setError({ message: explain(t, e) });
      }
    } finally {
      setBusy(false);
    }
  };

  if (duplicates) {
    return (
      <>
        <h1>{t('report.title')}</h1>
        <section aria-labelledby="duplicates-heading">
          <h2 id="duplicates-heading">{t('report.duplicates')}</h2>
          <p>{t('report.duplicatesIntro')}</p>
          <ul class="duplicates">
            {duplicates.map((d, i) => (
              <li key={d.trackingCode ?? i} class="card">
                <p>
                  <strong>{d.typeName}</strong> · {statusName(t, d.status)} · {f.dateTime(d.createdAt)}
                  {d.meters !== undefined && ` · ${t('report.metersAway', { meters: f.number(d.meters) })}`}
                </p>
                {d.trackingCode && (
                  <p>
                    <a href={`#/track/${d.trackingCode}`}>
                      {t('report.trackLink')} <span class="tracking-code-inline">{d.trackingCode}</span>
                    </a>
                  </p>
                )}
              </li>
            ))}
          </ul>
          {error && <ErrorMessage title={t('errorTitle')} message={error.message} />}
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => send(true)}>
              {t('report.fileAnyway')}
            </button>
          </div>
        </section>
      </>
    );
  }

  return (
    <>
      <h1>{t('report.title')}</h1>
      {error && <ErrorMessage title={t('errorTitle')} message={error.message} />}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send(false);
        }}
      >
        <SelectField
          label={`${t('report.type')} (${t('required')})`}
          hint={type?.description}
          error={fieldErrors.type}
          value={typeCode}
          onValue={(code) => {
            setTypeCode(code);
            setAnswers({});
          }}
          required
          options={[
            { value: '', label: t('report.choose') },
            ...utility.complaintTypes.map((c) => ({ value: c.code, label: c.name })),
          ]}
        />
        {attributes.length > 0 && (
          <fieldset>
            <legend>{t('report.details')}</legend>
            {attributes.map((attribute) => (
              <AttributeField
                key={attribute.code}
                attribute={attribute}
                value={answers[attribute.code]}
                onValue={(value) => setAnswers((all) => ({ ...all, [attribute.code]: value }))}
                error={fieldErrors[`attributes.${attribute.code}`]}
                t={t}
              />
            ))}
          </fieldset>
        )}
        <fieldset>
          <legend>{t('report.location')}</legend>
          <p class={fieldErrors.place ? 'field-error' : 'hint'}>
            {fieldErrors.place ?? t('report.locationHint')}
          </p>
          <TextField
            label={t('report.address')}
            value={address}
            onValue={setAddress}
            error={fieldErrors.address}
            autocomplete="street-address"
            maxLength={300}
          />
          <LocationMap districts={utility.districts} value={pin} onValue={setPin} t={t} />
          <div class="pair">
            <TextField label={t('report.lat')} value={lat} onValue={setLat} inputMode="decimal" />
            <TextField label={t('report.long')} value={long} onValue={setLong} inputMode="decimal" />
          </div>
          <div class="actions">
            <button type="button" class="secondary" onClick={locate} disabled={locating === 'busy'}>
              {t('report.myLocation')}
            </button>
          </div>
          {locating === 'busy' && <StatusMessage tone="info">{t('report.locating')}</StatusMessage>}
          {locating === 'failed' && <StatusMessage tone="info">{t('report.noLocation')}</StatusMessage>}
        </fieldset>
        <TextArea
          label={`${t('report.description')} (${t('required')})`}
          value={description}
          onValue={setDescription}
          error={fieldErrors.description}
          maxLength={4000}
          required
          rows={5}
        />
        <fieldset>
          <legend>{t('report.contact')}</legend>
          <TextField
            label={t('report.phone')}
            hint={t('report.phoneHint')}
            value={phone}
            onValue={setPhone}
            error={fieldErrors.phone}
            type="tel"
            autocomplete="tel"
          />
          <Checkbox checked={contactConsent} onChecked={setContactConsent}>
            {t('report.contactConsent')}
          </Checkbox>
          <TextField
            label={t('report.account')}
            value={accountNumber}
            onValue={setAccountNumber}
            error={fieldErrors.accountNumber}
            inputMode="numeric"
            autocomplete="off"
          />
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('report.send')}
          </button>
        </div>
      </form>
    </>
  );
}

function FiledReport(props: PageProps & { filed: Filed; onAnother: () => void }) {
  const { t, f, filed } = props;
  return (
    <>
      <h1>{t('report.filed')}</h1>
      <section class="card" aria-labelledby="code-heading">
        <h2 id="code-heading">{t('report.code')}</h2>
        <p class="tracking-code tracking-code-large">{filed.trackingCode}</p>
        <p>{t('report.keepCode')}</p>
        <p>{t('report.expected', { date: f.dateTime(filed.expectedBy) })}</p>
        <p>
          <a href={`#/track/${filed.trackingCode}`}>{t('report.trackLink')}</a>
        </p>
      </section>
      <PhotoUpload t={t} complaintId={filed.id} />
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onAnother}>
          {t('report.another')}
        </button>
      </div>
    </>
  );
}
