// The announcement composer: districts, kind, a text per language of the utility and an optional send time, with a
// live per-language preview of what subscribers receive (SMS or LMS, parts, size); sent once per form.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../shared/api.ts';
import { LANGUAGE_NAMES } from '../shared/i18n.ts';
import { navigate, useFocusHeading } from '../shared/router.ts';
import { ErrorMessage, SelectField, TextArea, TextField } from '../shared/ui.tsx';
import { zonedInstant } from '../shared/zoned-time.ts';
import {
  type Desk,
  errorFor,
  fieldProblems,
  focusFirstInvalid,
  label,
  type PageProps,
  problemMessage,
} from './desk.ts';
import { type CodedProblem, fieldProblemText } from './text-problems.ts';

const KINDS = ['outage', 'freeze', 'leak-check', 'general'] as const;
/** How long typing must pause before the size is checked again. */
const PREVIEW_DELAY_MS = 400;

interface PreviewItem {
  language: string;
  message: string;
  channel: string;
  parts: number;
  size: number;
  sizeUnit: 'bytes' | 'characters';
  encoding: string;
  limit: number;
  fits: boolean;
  problems: CodedProblem[];
}

export function ComposerPage({ desk }: PageProps) {
  const { t, utility, me } = desk;
  useFocusHeading('compose');
  const choices = me.visibleDistricts;
  const [districts, setDistricts] = useState<string[]>([]);
  const [kind, setKind] = useState<string>('outage');
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [sendAt, setSendAt] = useState('');
  // One key per form: a double click or a retry after a lost answer sends the announcement once.
  const [key] = useState(() => crypto.randomUUID());
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState(false);

  const everyDistrict = choices.length > 0 && choices.every((code) => districts.includes(code));
  const toggle = (code: string, on: boolean) =>
    setDistricts((current) => (on ? [...current, code] : current.filter((c) => c !== code)));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (districts.length === 0) found.districts = t('chooseDistrict');
    for (const language of utility.languages)
      if (!texts[language]?.trim()) found[`texts.${language}`] = t('writeText');
    const at = sendAt ? zonedInstant(sendAt, utility.timeZone) : undefined;
    if (sendAt && !at) found.sendAt = t('required');
    setProblems(found);
    setFailure(undefined);
    setInvalid(Object.keys(found).length > 0);
    if (Object.keys(found).length > 0) return focusFirstInvalid();
    setBusy(true);
    try {
      const announcement = await desk.call<{ id: string }>('/admin/announcements', {
        body: { districts, kind, texts, ...(at ? { sendAt: at } : {}) },
        headers: { 'idempotency-key': key },
      });
      navigate(`/announcements/${announcement.id}?sent=1`);
    } catch (error) {
      setFailure(error);
      setProblems(
        fieldProblems(t, error, { 'send-at-in-past': 'sendAt', 'send-at-too-far': 'sendAt' }, desk),
      );
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('composeTitle')}</h1>
      {failure !== undefined && <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />}
      {invalid && <ErrorMessage title={t('errorTitle')} message={t('checkFields')} />}
      <form onSubmit={submit} noValidate>
        <fieldset class={errorFor(problems, 'districts') ? 'field-invalid' : undefined}>
          <legend>{t('districts')}</legend>
          {errorFor(problems, 'districts') && (
            <p class="field-error" id="districts-error">
              {errorFor(problems, 'districts')}
            </p>
          )}
          <label class="check">
            <input
              type="checkbox"
              aria-invalid={errorFor(problems, 'districts') ? 'true' : undefined}
              aria-describedby={errorFor(problems, 'districts') ? 'districts-error' : undefined}
              checked={everyDistrict}
              onChange={(event) => setDistricts(event.currentTarget.checked ? [...choices] : [])}
            />
            {t('allDistrictsOption')}
          </label>
          {choices.map((code) => (
            <label class="check" key={code}>
              <input
                type="checkbox"
                name="district"
                value={code}
                checked={districts.includes(code)}
                onChange={(event) => toggle(code, event.currentTarget.checked)}
              />
              {desk.districtName(code)}
            </label>
          ))}
        </fieldset>
        <SelectField
          label={t('kind')}
          value={kind}
          onValue={setKind}
          options={KINDS.map((code) => ({ value: code, label: label(t, 'kind_', code) }))}
        />
        {utility.languages.map((language) => (
          <TextArea
            key={language}
            label={t('textIn', { language: LANGUAGE_NAMES[language] ?? language })}
            error={errorFor(problems, `texts.${language}`)}
            value={texts[language] ?? ''}
            onValue={(value) => setTexts((current) => ({ ...current, [language]: value }))}
            maxLength={2000}
            lang={language}
            rows={4}
          />
        ))}
        <TextField
          type="datetime-local"
          label={t('sendAt')}
          hint={t('sendAtHint', { zone: utility.timeZone })}
          error={errorFor(problems, 'sendAt')}
          value={sendAt}
          onValue={setSendAt}
        />
        <Preview desk={desk} kind={kind} texts={texts} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('send')}
          </button>
        </div>
      </form>
    </>
  );
}

/** The texts checked by the API as they are typed: what each language's subscribers receive, and its size. */
function Preview(props: { desk: Desk; kind: string; texts: Record<string, string> }) {
  const { desk } = props;
  const { t, fmt } = desk;
  const [items, setItems] = useState<PreviewItem[]>();
  const [state, setState] = useState<'idle' | 'checking' | 'unavailable' | 'failed'>('idle');
  const written = Object.fromEntries(Object.entries(props.texts).filter(([, text]) => text.trim()));
  const signature = JSON.stringify([props.kind, written]);

  useEffect(() => {
    if (Object.keys(written).length === 0) {
      setItems(undefined);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      setState('checking');
      desk
        .call<{ items: PreviewItem[] }>('/admin/announcements/preview', {
          body: { kind: props.kind, texts: written },
          signal: abort.signal,
        })
        .then(
          (answer) => {
            setItems(answer.items);
            setState('idle');
          },
          (error) => {
            if ((error as Error).name === 'AbortError') return;
            setState(error instanceof ApiError && error.problem.status === 404 ? 'unavailable' : 'failed');
          },
        );
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [signature]);

  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('previewTitle')}</h2>
      <p class="hint">{t('previewHint')}</p>
      <p role="status" class="hint">
        {state === 'checking' ? t('previewing') : state === 'unavailable' ? t('previewUnavailable') : ''}
      </p>
      {items?.map((item) => (
        <div class="card" key={item.language} lang={item.language}>
          <h3 lang={desk.language}>{LANGUAGE_NAMES[item.language] ?? item.language}</h3>
          <p class="message">{item.message}</p>
          <dl class="facts" lang={desk.language}>
            <dt>{t('channel')}</dt>
            <dd>{item.channel}</dd>
            <dt>{t('parts')}</dt>
            <dd class="preview-parts">{fmt.number(item.parts)}</dd>
            <dt>{t('size')}</dt>
            <dd>
              {t('sizeOf', {
                size: fmt.number(item.size),
                limit: fmt.number(item.limit),
                unit: label(t, 'unit_', item.sizeUnit),
              })}
            </dd>
            <dt>{t('encoding')}</dt>
            <dd>{item.encoding}</dd>
            <dt>{t('fits')}</dt>
            <dd>
              {item.fits ? (
                <span class="badge badge-ok">{t('fitsYes')}</span>
              ) : (
                <span class="badge badge-bad">{t('fitsNo')}</span>
              )}
            </dd>
          </dl>
          {/* A language not written yet has one problem everyone understands: say it in the page's language. */}
          {!props.texts[item.language]?.trim() ? (
            <p class="field-error" lang={desk.language}>
              {t('writeText')}
            </p>
          ) : (
            item.problems.length > 0 && (
              <ul class="field-error" lang={desk.language}>
                {item.problems.map((problem) => (
                  <li key={problem.field}>{fieldProblemText(desk, problem)}</li>
                ))}
              </ul>
            )
          )}
        </div>
      ))}
    </section>
  );
}
