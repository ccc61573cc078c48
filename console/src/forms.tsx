import type { ComponentChildren } from 'preact';
import type { Failure } from './api/client';

/** Problems of a form, by the JSON path of the field at fault (`name`, `asr.options`, `tools[0].url`). */
export type Errors = Record<string, string>;

/** The accessibility attributes of an input: invalid, and described by its hint and its error. */
export function aria(id: string, error: string | undefined, hint?: ComponentChildren) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined };
}

/** A labelled input with its hint and its problem below it (`<id>-hint`, `<id>-error`). */
export function Field(props: {
  id: string;
  label: ComponentChildren;
  error?: string | undefined;
  hint?: ComponentChildren;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${props.class ? ` ${props.class}` : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
      <FieldError id={props.id} error={props.error} />
    </div>
  );
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} class="field-error" role="alert">
      {error}
    </p>
  );
}

/** The problem text to show next to its field: without the `field: ` the server puts before it. */
export function fieldMessage(failure: Failure): string {
  const prefix = `${failure.field}: `;
  return failure.field && failure.message.startsWith(prefix) ? failure.message.slice(prefix.length) : failure.message;
}

/** Moves the focus to an input (and scrolls it into view), e.g. the one a problem names. */
export function focusField(id: string): void {
  const el = document.getElementById(id);
  if (el) {
    el.scrollIntoView({ block: 'center' });
    el.focus();
  }
}

/** Text of an input, trimmed; undefined when blank. */
export function text(value: string | undefined): string | undefined {
  const s = value?.trim() ?? '';
  return s === '' ? undefined : s;
}

/** A number input's value: undefined when empty, NaN when not a number (or, with `whole`, not an integer). */
export function number(value: string | undefined, whole: boolean): number | undefined {
  const s = text(value);
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && (!whole || Number.isInteger(n)) ? n : NaN;
}

/** `key=value` lines (blank lines skipped) as a map; the first bad line is the error. */
export function parseOptions(value: string): { options?: Record<string, string>; error?: string } {
  const options: Record<string, string> = {};
  const lines = value.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? '' : line.slice(0, eq).trim();
    if (key === '') return { error: `line ${i + 1}: write key=value` };
    if (key in options) return { error: `line ${i + 1}: ${key} is given twice` };
    options[key] = line.slice(eq + 1).trim();
  }
  return Object.keys(options).length === 0 ? {} : { options };
}

export function formatOptions(options: Record<string, string> | undefined): string {
  return Object.entries(options ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/**
 * A JSON object typed into a textarea: the object, or the problem with it (`not JSON: ...`, `must be a JSON
 * object`); neither when the text is empty.
 */
export function jsonObject(value: string | undefined): { object?: object; error?: string } {
  if (!value?.trim()) return {};
  const problem = jsonError(value);
  if (problem !== null) return { error: `not JSON: ${problem}` };
  const parsed: unknown = JSON.parse(value);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'must be a JSON object' };
  return { object: parsed };
}

/** The parse error of a JSON text (null when it parses). */
export function jsonError(value: string): string | null {
  try {
    JSON.parse(value);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** A `datetime-local` value (the browser's time zone) as RFC 3339 in UTC; undefined when empty, null when invalid. */
export function rfc3339(local: string): string | undefined | null {
  if (local.trim() === '') return undefined;
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** An RFC 3339 time as a `datetime-local` value in the browser's time zone (to the second); '' when absent or invalid. */
export function localInput(value: string | undefined): string {
  const time = value ? new Date(value) : null;
  if (time === null || Number.isNaN(time.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${String(time.getFullYear()).padStart(4, '0')}-${two(time.getMonth() + 1)}-${two(time.getDate())}` +
    `T${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}`
  );
}

/** The form's field a failed write's problem names (its `field`, or a path inside it: `metadata.crm`), if the form has it. */
export function fieldAtFault(failure: Failure, fields: readonly string[]): string | undefined {
  const path = failure.field;
  if (path === undefined) return undefined;
  return fields.find((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`));
}

/** Copies text to the clipboard; false when the browser refuses (then the text stays selectable). */
export async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    return false;
  }
}
