import { useEffect, useState } from 'preact/hooks';
import { api, result, type Agent, type Campaign, type Result } from './api/client';

/** The tenant's agents or campaigns as choices of a select: id and name. */
export type Named = { id: string; name: string };
/** A list read once: null while loading; its problem when the read failed. */
export type Loaded<T> = { items: T[] | null; error: string | null };

export const agentHref = (id: string) => `#/agents/${encodeURIComponent(id)}`;
export const campaignHref = (id: string) => `#/campaigns/${encodeURIComponent(id)}`;

export const agentNamed = (a: Agent): Named => ({ id: a.id ?? '', name: a.spec?.name || a.id || '' });
export const campaignNamed = (c: Campaign): Named => ({ id: c.id ?? '', name: c.name || c.id || '' });

function useList<T>(read: (signal: AbortSignal) => Promise<Result<{ data?: T[] }>>): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ items: null, error: null });
  useEffect(() => {
    const abort = new AbortController();
    void read(abort.signal).then((answer) => {
      if (abort.signal.aborted) return;
      setLoaded(answer.ok ? { items: answer.data.data ?? [], error: null } : { items: null, error: answer.message });
    });
    return () => abort.abort();
  }, []);
  return loaded;
}

/** The tenant's agents (GET /v1/agents, one list), read once per page. */
export function useAgents(): Loaded<Named> {
  const agents = useList((signal) => result(api.GET('/v1/agents', { signal })));
  return { items: agents.items?.map(agentNamed) ?? null, error: agents.error };
}

/** The tenant's campaigns (GET /v1/campaigns, one list), read once per page. */
export function useCampaigns(): Loaded<Campaign> {
  return useList((signal) => result(api.GET('/v1/campaigns', { signal })));
}

/** The name of `id` among `items`; the id itself when it is not one of them (deleted, or the list failed). */
export function nameOf(items: Named[] | null, id: string | undefined): string {
  if (!id) return '';
  return items?.find((i) => i.id === id)?.name ?? id;
}

/**
 * The options of an agent or campaign select: `empty` (value ''), then the items by name (a name two items share
 * gets its id), and `selected` when the list lacks it (deleted, or not loaded yet) so the select still shows it.
 */
export function NamedOptions({ items, selected, empty }: { items: Named[] | null; selected: string; empty: string }) {
  const sorted = [...(items ?? [])].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const names = new Map<string, number>();
  for (const i of sorted) names.set(i.name, (names.get(i.name) ?? 0) + 1);
  const missing = selected !== '' && !sorted.some((i) => i.id === selected);
  return (
    <>
      <option value="">{empty}</option>
      {sorted.map((i) => (
        <option key={i.id} value={i.id}>
          {(names.get(i.name) ?? 0) > 1 ? `${i.name} (${i.id})` : i.name}
        </option>
      ))}
      {missing && <option value={selected}>{selected}</option>}
    </>
  );
}
