/** The statuses the calls list filters by (GET /v1/calls `status`). */
export const CALL_STATUSES = ['requested', 'admitted', 'rejected', 'ringing', 'in_progress', 'ended'] as const;

/** The filters of the calls list, named as GET /v1/calls names them; the times are RFC 3339. */
export const FILTER_KEYS = ['status', 'agentId', 'campaignId', 'createdFrom', 'createdTo'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type CallFilters = Partial<Record<FilterKey, string>>;

/**
 * The filters of a hash query (`status=ended&agentId=agt_1`); blank and unknown parameters are left out. A `+`
 * is taken as itself (a time's offset), not as a space.
 */
export function parseFilters(query: string): CallFilters {
  const params = new URLSearchParams(query.replace(/\+/g, '%2B'));
  const filters: CallFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** The hash query of filters, in a fixed order ('' without any). */
export function filtersQuery(filters: CallFilters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

/** The address of the calls list with these filters: `#/calls?campaignId=cmp_1`. */
export function callsHref(filters: CallFilters = {}): string {
  const query = filtersQuery(filters);
  return query === '' ? '#/calls' : `#/calls?${query}`;
}

/** The fields of a call the filters look at. */
export interface FilteredCall {
  id?: string;
  status?: string;
  agentId?: string | null;
  campaignId?: string | null;
  createdAt?: string | null;
  requestedAt?: string | null;
  /** The call's projection version: a change with a lower one is older than what is shown. */
  version?: number;
}

/** Whether {@code incoming} is not older than {@code shown} (by projection version). */
export function notOlder(incoming: FilteredCall, shown: FilteredCall): boolean {
  return (incoming.version ?? 0) >= (shown.version ?? 0);
}

/** When the call was created, in ms since the epoch (NaN when unknown). */
export function createdMs(call: FilteredCall): number {
  return Date.parse(call.createdAt ?? call.requestedAt ?? '');
}

/** Whether the call is one the filters keep, as GET /v1/calls would answer it. */
export function matches(call: FilteredCall, filters: CallFilters): boolean {
  if (filters.status && call.status?.toLowerCase() !== filters.status.toLowerCase()) return false;
  if (filters.agentId && call.agentId !== filters.agentId) return false;
  if (filters.campaignId && call.campaignId !== filters.campaignId) return false;
  const created = createdMs(call);
  if (filters.createdFrom && !(created >= Date.parse(filters.createdFrom))) return false;
  if (filters.createdTo && !(created < Date.parse(filters.createdTo))) return false;
  return true;
}

/**
 * The rows shown after a call changed: its row replaced, or removed when it no longer matches the filters; a call not
 * shown is added in its place (newest first) when it matches and belongs among the rows shown (newer than the oldest
 * of them, or every row is shown).
 */
export function applyChange<T extends FilteredCall>(
  rows: { calls: T[]; nextCursor: string | undefined },
  call: T,
  filters: CallFilters,
): { calls: T[]; nextCursor: string | undefined } {
  const fits = matches(call, filters);
  const index = rows.calls.findIndex((c) => c.id === call.id);
  // A change that arrives after a newer state of the call (from a list read) changes nothing.
  if (index >= 0 && !notOlder(call, rows.calls[index]!)) return rows;
  if (index >= 0) {
    const calls = [...rows.calls];
    if (fits) calls[index] = call;
    else calls.splice(index, 1);
    return { ...rows, calls };
  }
  if (!fits) return rows;
  const oldest = rows.calls[rows.calls.length - 1];
  if (rows.nextCursor !== undefined && oldest !== undefined && createdMs(call) < createdMs(oldest)) return rows;
  const calls = [...rows.calls, call].sort(
    (a, b) => createdMs(b) - createdMs(a) || (b.id ?? '').localeCompare(a.id ?? ''),
  );
  return { ...rows, calls };
}
