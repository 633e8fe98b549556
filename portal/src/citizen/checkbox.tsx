// A checkbox with its label beside it and an error announced with it (the shared fields have no checkbox).
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export function Checkbox(props: {
  checked: boolean;
  onChecked: (checked: boolean) => void;
  children: ComponentChildren;
  error?: string;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <div class="check">
        <input
          type="checkbox"
          id={id}
          checked={props.checked}
          required={props.required}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? `${id}-error` : undefined}
          onChange={(event) => props.onChecked(event.currentTarget.checked)}
        />
        <label for={id}>{props.children}</label>
      </div>
    </div>
  );
}
