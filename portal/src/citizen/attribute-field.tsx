// One answer a complaint type asks for, drawn as the control its Open311 datatype calls for.
import { useId } from 'preact/hooks';
import { SelectField, TextArea, TextField } from '../shared/ui.tsx';
import type { ComplaintAttribute } from '../shared/utility.ts';
import { zonedInstant } from '../shared/zoned-time.ts';
import type { T } from './strings.ts';

export type AnswerValue = string | string[];

export function AttributeField(props: {
  attribute: ComplaintAttribute;
  value: AnswerValue | undefined;
  onValue: (value: AnswerValue) => void;
  error?: string;
  t: T;
}) {
  const { attribute, t, error } = props;
  const label = `${attribute.name}${attribute.required ? ` (${t('required')})` : ''}`;
  const text = typeof props.value === 'string' ? props.value : '';
  const id = useId();
  // A chosen private answer (a leak indoors) is said in the question's hint, which the control is described by.
  const privateNote = choosesPrivate(attribute, props.value) ? t('report.privateAnswer') : undefined;
  const hint = [attribute.hint, privateNote].filter(Boolean).join(' ') || undefined;
  const note = <Announce text={privateNote} />;
  switch (attribute.datatype) {
    case 'singlevaluelist':
      return (
        <>
          <SelectField
            label={label}
            hint={hint}
            error={error}
            value={text}
            onValue={props.onValue}
            required={attribute.required}
            options={[
              { value: '', label: t('report.choose') },
              ...(attribute.values ?? []).map((v) => ({ value: v.key, label: v.name })),
            ]}
          />
          {note}
        </>
      );
    case 'multivaluelist': {
      const chosen = Array.isArray(props.value) ? props.value : [];
      return (
        <fieldset
          class={`field${error ? ' field-invalid' : ''}`}
          aria-describedby={
            [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined
          }
        >
          <legend>{label}</legend>
          {hint && (
            <p class="hint" id={`${id}-hint`}>
              {hint}
            </p>
          )}
          {error && (
            <p class="field-error" id={`${id}-error`}>
              {error}
            </p>
          )}
          {(attribute.values ?? []).map((v) => (
            <div class="check" key={v.key}>
              <input
                type="checkbox"
                id={`${id}-${v.key}`}
                checked={chosen.includes(v.key)}
                onChange={(event) =>
                  props.onValue(
                    event.currentTarget.checked ? [...chosen, v.key] : chosen.filter((key) => key !== v.key),
                  )
                }
              />
              <label for={`${id}-${v.key}`}>{v.name}</label>
            </div>
          ))}
          {note}
        </fieldset>
      );
    }
    case 'text':
      return (
        <TextArea
          label={label}
          hint={attribute.hint}
          error={error}
          value={text}
          onValue={props.onValue}
          required={attribute.required}
          rows={3}
        />
      );
    default:
      return (
        <TextField
          label={label}
          hint={attribute.hint}
          error={error}
          value={text}
          onValue={props.onValue}
          required={attribute.required}
          type={attribute.datatype === 'datetime' ? 'datetime-local' : 'text'}
          inputMode={attribute.datatype === 'number' ? 'decimal' : undefined}
        />
      );
  }
}

/** Whether the answer includes a choice that keeps the report's place out of public view. */
function choosesPrivate(attribute: ComplaintAttribute, value: AnswerValue | undefined): boolean {
  const chosen = Array.isArray(value) ? value : value ? [value] : [];
  return (attribute.values ?? []).some((v) => v.private && chosen.includes(v.key));
}

/**
 * A live region that is always there, so a screen reader announces the private note the moment the answer is
 * chosen (the hint that shows it is read only when the control is focused again).
 */
function Announce(props: { text: string | undefined }) {
  return (
    <p class="visually-hidden" role="status">
      {props.text ?? ''}
    </p>
  );
}

/**
 * The answer as the API takes it: numbers as numbers, and a date and time as the utility's wall clock reads it (the
 * resident means Seoul's 09:00, even on a phone set to another zone), sent as an instant.
 */
export function answerFor(
  attribute: ComplaintAttribute,
  value: AnswerValue | undefined,
  timeZone: string,
): AnswerValue | number | undefined {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return undefined;
  if (Array.isArray(value)) return value;
  if (attribute.datatype === 'number') return Number(value.trim().replace(',', '.'));
  if (attribute.datatype === 'datetime') {
    return zonedInstant(value, timeZone) ?? value;
  }
  return value;
}
