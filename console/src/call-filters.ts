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
