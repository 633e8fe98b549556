// The building blocks every page uses, accessible by construction: every control has a visible label tied to it,
// hints and errors are announced with the control (aria-describedby), failures land in an alert region, and
// long operations report progress in a polite live region.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { ApiError } from './api.ts';
import { LANGUAGE_NAMES } from './i18n.ts';

export interface ShellTexts {
  skipToContent: string;
  language: string;
  navigation: string;
}

export function Shell(props: {
  siteName: string;
  homeHref: string;
  nav: Array<{ href: string; label: string; current?: boolean }>;
  languages: string[];
  language: string;
  onLanguage: (language: string) => void;
  texts: ShellTexts;
  children: ComponentChildren;
}) {
  const selectId = useId();
  return (
    <>
      {/* A button, not a link: #main would be read as a route by the hash router. */}
      <button type="button" class="skip-link" onClick={skipToMain}>
        {props.texts.skipToContent}
      </button>
      <header class="site-header">
        <a class="site-name" href={props.homeHref}>
          {props.siteName}
        </a>
        {props.languages.length > 1 && (
          <div class="language">
            <label for={selectId}>{props.texts.language}</label>
            <select
              id={selectId}
              value={props.language}
              onChange={(event) => props.onLanguage(event.currentTarget.value)}
            >
              {props.languages.map((code) => (
                <option key={code} value={code} lang={code}>
                  {LANGUAGE_NAMES[code] ?? code}
                </option>
              ))}
            </select>
          </div>
        )}
        <nav aria-label={props.texts.navigation}>
          <ul>
            {props.nav.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabindex={-1}>
        {props.children}
      </main>
    </>
  );
}

/** The skip link's target is inside a hash-routed page: move focus without changing the route. */
function skipToMain() {
  document.getElementById('main')?.focus();
}

interface InputProps {
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'tel' | 'email' | 'number' | 'date' | 'datetime-local' | 'search' | 'password';
  name?: string;
  required?: boolean;
  autocomplete?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'tel' | 'email' | 'search';
  maxLength?: number;
  pattern?: string;
  min?: string | number;
  max?: string | number;
  step?: string | number;
  disabled?: boolean;
  spellcheck?: boolean;
  lang?: string;
}

/**
 * A control's frame: its label, hint and error, and the attributes that tie them to the control (id,
 * aria-describedby, aria-invalid), handed to `control` to spread on it.
 */
function Field(props: {
  label: string;
  hint?: string;
  error?: string;
  control: (wiring: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: 'true';
  }) => ComponentChildren;
}) {
  const id = useId();
  const described = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      {props.control({
        id,
        'aria-describedby': described || undefined,
        'aria-invalid': props.error ? 'true' : undefined,
      })}
    </div>
  );
}

export function TextField({ label, hint, error, value, onValue, ...input }: InputProps) {
  return (
    <Field
      label={label}
      hint={hint}
      error={error}
      control={(wiring) => (
        // Preact 11 types <input> by its type; the props above are each valid for every type used here.
        <input
          {...({ ...input, type: input.type ?? 'text' } as object)}
          {...wiring}
          value={value}
          onInput={(event) => onValue((event.currentTarget as HTMLInputElement).value)}
        />
      )}
    />
  );
}

export function TextArea(props: {
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
  maxLength?: number;
  required?: boolean;
  rows?: number;
  lang?: string;
}) {
  return (
    <Field
      label={props.label}
      hint={props.hint}
      error={props.error}
      control={(wiring) => (
        <textarea
          {...wiring}
          value={props.value}
          rows={props.rows ?? 4}
          maxLength={props.maxLength}
          required={props.required}
          lang={props.lang}
          onInput={(event) => props.onValue(event.currentTarget.value)}
        />
      )}
    />
  );
}

export function SelectField(props: {
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  required?: boolean;
}) {
  return (
    <Field
      label={props.label}
      hint={props.hint}
      error={props.error}
      control={(wiring) => (
        <select
          {...wiring}
          value={props.value}
          required={props.required}
          onChange={(event) => props.onValue(event.currentTarget.value)}
        >
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A failure the user must read: announced at once (role=alert), with the fields it names listed. */
export function ErrorMessage(props: { title: string; message: string; fields?: string[] }) {
  return (
    <div class="alert alert-error" role="alert">
      <p class="alert-title">{props.title}</p>
      <p>{props.message}</p>
      {props.fields && props.fields.length > 0 && (
        <ul>
          {props.fields.map((field) => (
            <li key={field}>{field}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A success or a state change: announced politely (role=status), without moving focus. */
export function StatusMessage(props: { children: ComponentChildren; tone?: 'success' | 'info' }) {
  return (
    <div class={`alert alert-${props.tone ?? 'success'}`} role="status">
      {props.children}
    </div>
  );
}

/** Progress of an upload or a long operation, with its label and percentage. */
export function Progress(props: { label: string; value: number; max?: number }) {
  const id = useId();
  const max = props.max ?? 100;
  return (
    <div class="progress">
      <label for={id}>{props.label}</label>
      <progress id={id} value={props.value} max={max}>
        {Math.round((props.value / max) * 100)}%
      </progress>
    </div>
  );
}

export function Loading(props: { label: string }) {
  return (
    <p class="loading" role="status">
      {props.label}
    </p>
  );
}

/** The message an ApiError shows: a localized text for its code when the page has one, else the server's. */
export function problemText(error: unknown, known: (code: string) => string | undefined, fallback: string) {
  const problem = (error as ApiError | undefined)?.problem;
  if (!problem) return fallback;
  const localized = problem.extensions.localizedMessage;
  if (typeof localized === 'string' && localized) return localized;
  return known(problem.code) ?? (problem.detail || fallback);
}
