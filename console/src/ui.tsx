import type { ComponentChildren } from 'preact';
import { dateTime } from './timeline';

/** A call status as a badge; the element's text is the status as the API gives it (e.g. IN_PROGRESS). */
export function StatusBadge({ status, id }: { status: string | undefined; id?: string }) {
  const value = status ?? '';
  return (
    <span id={id} class={`badge status-${value.toLowerCase().replace(/[^a-z_]/g, '')}`}>
      {value}
    </span>
  );
}

/** A time as YYYY-MM-DD HH:MM:SS (local), its ISO form in datetime and title; nothing when absent. */
export function Time({ value }: { value: string | undefined | null }) {
  if (!value) return null;
  return (
    <time dateTime={value} title={value}>
      {dateTime(value)}
    </time>
  );
}

export function ErrorBanner({ children }: { children: ComponentChildren }) {
  return (
    <p class="banner error" role="alert">
      {children}
    </p>
  );
}

export const callHref = (id: string) => `#/calls/${encodeURIComponent(id)}`;
