package io.sipai.processors.admission.internal;

import io.sipai.admission.AdmissionCounter;
import io.sipai.admission.CounterScope;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.schemas.CounterKeys;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The three counters of one call (global, its tenant, its campaign) and their limits, read from the stores. All
 * three are checked and changed together inside one record's processing on the one admission task, which makes
 * check-and-increment atomic without locks. Every change is also told to a listener (the processor publishes it on
 * {@code admission.counters.v1} in the same transaction).
 */
final class Limits {

    /** Told the new state of each counter that changed, with its store key. */
    @FunctionalInterface
    interface Changed {
        void counter(String key, AdmissionCounter.Builder counter);
    }

    private final KeyValueStore<String, Integer> counters;
    private final ReadOnlyKeyValueStore<String, Integer> campaignLimits;
    private final AdmissionSettings settings;
    private final Changed changed;

    Limits(KeyValueStore<String, Integer> counters, ReadOnlyKeyValueStore<String, Integer> campaignLimits,
           AdmissionSettings settings, Changed changed) {
        this.counters = counters;
        this.campaignLimits = campaignLimits;
        this.settings = settings;
        this.changed = changed;
    }

    /** The limit that would be exceeded by one more slot for this call, or null when every limit allows it. */
    AdmissionLimit exceeded(String tenantId, String campaignId) {
        if (count(CounterKeys.GLOBAL) >= settings.globalMaxConcurrency()) {
            return AdmissionLimit.GLOBAL;
        }
        if (count(CounterKeys.tenant(tenantId)) >= settings.perTenantMaxConcurrency()) {
            return AdmissionLimit.TENANT;
        }
        if (campaignId != null && count(CounterKeys.campaign(campaignId)) >= campaignLimit(campaignId)) {
            return AdmissionLimit.CAMPAIGN;
        }
        return null;
    }

    /** Adds {@code delta} to the call's three counters. */
    void add(String tenantId, String campaignId, int delta) {
        change(CounterKeys.GLOBAL, delta);
        changed.counter(CounterKeys.GLOBAL, global());
        String tenant = CounterKeys.tenant(tenantId);
        changed.counter(tenant, counter(CounterScope.TENANT, tenantId, change(tenant, delta),
                settings.perTenantMaxConcurrency()));
        if (campaignId != null) {
            String campaign = CounterKeys.campaign(campaignId);
            changed.counter(campaign, counter(CounterScope.CAMPAIGN, campaignId, change(campaign, delta),
                    campaignLimit(campaignId)));
        }
    }

    /** The global counter now, with the limits of tenants and campaigns that have no counter yet. */
    AdmissionCounter.Builder global() {
        return counter(CounterScope.GLOBAL, null, count(CounterKeys.GLOBAL), settings.globalMaxConcurrency())
                .setDefaultTenantLimit(settings.perTenantMaxConcurrency())
                .setDefaultCampaignLimit(settings.perCampaignMaxConcurrency());
    }

    private static AdmissionCounter.Builder counter(CounterScope scope, String id, int active, int limit) {
        return AdmissionCounter.newBuilder().setScope(scope).setId(id).setActive(active).setLimit(limit);
    }

    /** The counts and limits that apply to the call. */
    AdmissionCounters snapshot(String tenantId, String campaignId) {
        return AdmissionCounters.newBuilder()
                .setGlobalActive(count(CounterKeys.GLOBAL))
                .setGlobalLimit(settings.globalMaxConcurrency())
                .setTenantActive(count(CounterKeys.tenant(tenantId)))
                .setTenantLimit(settings.perTenantMaxConcurrency())
                .setCampaignActive(campaignId == null ? null : count(CounterKeys.campaign(campaignId)))
                .setCampaignLimit(campaignId == null ? null : campaignLimit(campaignId))
                .build();
    }

    /** A human-readable account of the limit hit. */
    static String describe(AdmissionLimit limit, AdmissionCounters counters) {
        return switch (limit) {
            case GLOBAL -> "global limit " + counters.getGlobalLimit() + " reached (" + counters.getGlobalActive()
                    + " active)";
            case TENANT -> "tenant limit " + counters.getTenantLimit() + " reached (" + counters.getTenantActive()
                    + " active)";
            case CAMPAIGN -> "campaign limit " + counters.getCampaignLimit() + " reached ("
                    + counters.getCampaignActive() + " active)";
            case ALREADY_RELEASED -> "the call's slot was released before it was acquired";
            case UNKNOWN -> "refused";
        };
    }

    int campaignLimit(String campaignId) {
        Integer own = campaignLimits == null ? null : campaignLimits.get(campaignId);
        return own == null ? settings.perCampaignMaxConcurrency() : own;
    }

    private int count(String key) {
        Integer value = counters.get(key);
        return value == null ? 0 : value;
    }

    /** Changes the counter; its new count. */
    private int change(String key, int delta) {
        int next = Math.max(0, count(key) + delta);
        if (next == 0) {
            // Idle tenants and campaigns leave no key behind, so the store holds only live counters.
            counters.delete(key);
        } else {
            counters.put(key, next);
        }
        return next;
    }
}
