package io.sipai.schemas;

/**
 * Keys of admission's counters: one global counter, one per tenant, one per campaign. The admission processor's
 * counter store and {@link Topics#ADMISSION_COUNTERS} use them alike.
 */
public final class CounterKeys {

    /** Key of the global counter. */
    public static final String GLOBAL = "global";
    /** Prefix of a tenant's counter key. */
    public static final String TENANT_PREFIX = "tenant:";
    /** Prefix of a campaign's counter key. */
    public static final String CAMPAIGN_PREFIX = "campaign:";

    private CounterKeys() {
    }

    public static String tenant(String tenantId) {
        return TENANT_PREFIX + tenantId;
    }

    public static String campaign(String campaignId) {
        return CAMPAIGN_PREFIX + campaignId;
    }
}
