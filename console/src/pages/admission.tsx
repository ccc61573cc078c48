import { useEffect, useState } from 'preact/hooks';
import { api, result, type AdmissionCounters } from '../api/client';
import { campaignHref } from '../directory';
import { ErrorBanner } from '../ui';

/** How often the counters are read again while the page is open and visible. */
const REFRESH_MS = 1000;
/** Answers after which reading stops: the key will not get better by asking again. */
const FATAL = new Set([401, 403]);

/** One counter as `active / limit` with a meter that turns to a warning near the limit. */
function Usage(props: { id: string; active: number; limit: number | undefined }) {
  const { id, active, limit } = props;
  return (
    <span class="usage" id={id}>
      <span class="active">{active}</span> / <span class="limit">{limit ?? '?'}</span>
      {limit !== undefined && limit > 0 && (
        <meter min={0} max={limit} low={limit * 0.7} high={limit * 0.9} optimum={0} value={active}>
          {Math.round((100 * active) / limit)}%
        </meter>
      )}
    </span>
  );
}

/**
 * The slots the tenant and each of its campaigns hold against their limits (GET /v1/admission/counters, read again
 * every second while the page is visible), and the whole platform's for a platform admin key. A call is admitted
 * only while every counter it counts against is below its limit.
 */
export function AdmissionPage() {
  const [counters, setCounters] = useState<AdmissionCounters | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let loaded = false;
    const read = async () => {
      // A hidden tab skips its reads (once it has the counters).
      if (!document.hidden || !loaded) {
        const answer = await result(api.GET('/v1/admission/counters', { signal: abort.signal }));
        if (abort.signal.aborted) return;
        if (answer.ok) {
          setCounters(answer.data);
          setError(null);
          loaded = true;
        } else {
          setError(answer.message);
          if (FATAL.has(answer.status)) return;
        }
      }
      timer = setTimeout(read, REFRESH_MS);
    };
    void read();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, []);

  return (
    <section id="admission">
      <div class="heading">
        <h1>Admission</h1>
        <span class="muted">slots held now against their limits, read every second</span>
      </div>
      {error !== null && <ErrorBanner>{error}</ErrorBanner>}
      {counters === null ? (
        error === null && <p class="muted">Loading…</p>
      ) : (
        <>
          <dl class="fields">
            <dt>Tenant {counters.tenantId}</dt>
            <dd>
              <Usage id="tenant-counter" active={counters.tenant.active} limit={counters.tenant.limit} />
            </dd>
            {counters.global && (
              <>
                <dt>Platform (all tenants)</dt>
                <dd>
                  <Usage id="global-counter" active={counters.global.active} limit={counters.global.limit} />
                </dd>
              </>
            )}
          </dl>
          <h2>Campaigns</h2>
          {counters.campaigns.length === 0 ? (
            <p class="muted">No campaigns.</p>
          ) : (
            <div class="table-wrap">
              <table id="campaign-counters" class="grid">
                <thead>
                  <tr>
                    <th scope="col">Campaign</th>
                    <th scope="col">Slots held / limit</th>
                  </tr>
                </thead>
                <tbody>
                  {counters.campaigns.map((c) => (
                    <tr key={c.campaignId} data-campaign-id={c.campaignId}>
                      <td>
                        <a href={campaignHref(c.campaignId)}>{c.name}</a>
                      </td>
                      <td>
                        <Usage id={`campaign-counter-${c.campaignId}`} active={c.active} limit={c.limit} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
