import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Attempt } from './api/client';
import { copyText } from './forms';

/** The event types a subscription takes (docs/webhooks.md, Event types), `*` for all. */
export const EVENT_TYPES = [
  'call.requested',
  'call.admitted',
  'call.rejected',
  'call.started',
  'call.answered',
  'transcript.partial',
  'transcript.final',
  'agent.utterance',
  'barge_in',
  'tool_call.requested',
  'tool_call.completed',
  'dtmf',
  'turn.metrics',
  'call.machine_detected',
  'voicemail.left',
  'call.ended',
  'recording.available',
  'call.analyzed',
  'call.analysis_failed',
] as const;
export const ALL_EVENTS = '*';

export const webhookHref = (id: string) => `#/webhooks/${encodeURIComponent(id)}`;

/** The id of an event type's checkbox: `webhook-event-type-call-ended`, `webhook-event-type-all` for `*`. */
export const eventTypeId = (type: string) =>
  `webhook-event-type-${type === ALL_EVENTS ? 'all' : type.replace(/[^a-z_]/g, '-')}`;

/** The attempts shown, newest first, and the cursor of the next older page (none: all are shown). */
export type AttemptList = { attempts: Attempt[]; nextCursor: string | undefined };

/**
 * The newest page merged into the attempts shown: its attempts first, then the older ones already shown. A page
 * that holds every attempt (no nextCursor), or that does not reach the attempts shown (more came than a page
 * holds), replaces them.
 */
export function mergeNewest(current: AttemptList, page: AttemptList): AttemptList {
  if (page.nextCursor === undefined) return page;
  const ids = new Set(page.attempts.map((a) => a.id));
  const older = current.attempts.filter((a) => !ids.has(a.id));
  if (older.length === 0 || older.length === current.attempts.length) return page;
  return { attempts: [...page.attempts, ...older], nextCursor: current.nextCursor };
}

/** An older page added after the attempts shown. */
export function appendOlder(current: AttemptList, page: AttemptList): AttemptList {
  const ids = new Set(current.attempts.map((a) => a.id));
  return { attempts: [...current.attempts, ...page.attempts.filter((a) => !ids.has(a.id))], nextCursor: page.nextCursor };
}

/** A subscription's state; the dispatcher disables an endpoint that answers 410 or has failed for 5 days. */
export function EnabledBadge({ enabled, id }: { enabled: boolean | undefined; id?: string }) {
  const on = enabled !== false;
  return (
    <span id={id} class={`badge ${on ? 'enabled' : 'disabled'}`}>
      {on ? 'enabled' : 'disabled'}
    </span>
  );
}

/** A signing secret, shown once (after a create or a rotation), with a copy button. */
export function SecretPanel({ secret, rotated, children }: { secret: string; rotated?: boolean; children?: ComponentChildren }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => setCopied(null), [secret]);
  return (
    <section class="panel secret" aria-labelledby="h-secret">
      <h2 id="h-secret">{rotated ? 'New signing secret' : 'Signing secret'}</h2>
      <p class="secret-line">
        <code id="webhook-secret">{secret}</code>
        <button
          id="webhook-secret-copy"
          type="button"
          class="secondary"
          onClick={() => void copyText(secret).then(setCopied)}
        >
          Copy
        </button>
        <span class="muted" role="status">
          {copied === true ? 'Copied' : copied === false ? 'Copying was refused: select the secret and copy it' : ''}
        </span>
      </p>
      <p class="banner warn">
        Copy it now: it will not be shown again.
        {rotated && ' The previous secret keeps signing for 24 hours; switch your receiver to this one before then.'}
      </p>
      {children}
    </section>
  );
}
