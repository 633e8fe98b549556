// A table that may scroll sideways on a phone: its wrapper takes focus (so keyboard users can scroll it) and has
// a name (so screen readers say what the region holds).
import type { ComponentChildren } from 'preact';

export function TableWrap(props: { label: string; children: ComponentChildren }) {
  return (
    // A focusable region: a table that scrolls sideways must be reachable by keyboard (WCAG 2.1.1).
    <section class="table-wrap" aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}
