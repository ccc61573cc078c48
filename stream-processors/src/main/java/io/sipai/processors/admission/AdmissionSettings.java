package io.sipai.processors.admission;

import java.time.Duration;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Concurrency limits and leases enforced by the admission processor.
 *
 * @param globalMaxConcurrency      {@code TELEPHONY_GLOBAL_MAX_CONCURRENCY}: slots across all tenants (default 10000)
 * @param perTenantMaxConcurrency   {@code MAX_CONCURRENT_CALLS}: slots per tenant (default 200)
 * @param perCampaignMaxConcurrency {@code TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY}: slots per campaign unless the
 *                                  campaign sets its own {@code maxConcurrency} (default 100)
 * @param semaphoreTtlSec           {@code TELEPHONY_SEMAPHORE_TTL_SEC}: a slot that never received a heartbeat is
 *                                  reclaimed this long after it was granted (SLOT_EXPIRED); also how long answered
 *                                  decisions and release markers are remembered (default 600)
 * @param heartbeatTimeoutSec       {@code TELEPHONY_HEARTBEAT_TIMEOUT_SEC}: once a slot received a heartbeat, a
 *                                  realtime-edge node holds it, and the call ends (EDGE_LOST) when no heartbeat
 *                                  came for this long (default 20; realtime-edge heartbeats every 5 s, so a node
 *                                  may miss three in a row)
 */
@ConfigurationProperties("telephony")
public record AdmissionSettings(Integer globalMaxConcurrency, Integer perTenantMaxConcurrency,
                                Integer perCampaignMaxConcurrency, Integer semaphoreTtlSec,
                                Integer heartbeatTimeoutSec) {

    /** Default of {@code TELEPHONY_HEARTBEAT_TIMEOUT_SEC}. */
    public static final int DEFAULT_HEARTBEAT_TIMEOUT_SEC = 20;

    public AdmissionSettings {
        globalMaxConcurrency = positive("TELEPHONY_GLOBAL_MAX_CONCURRENCY", globalMaxConcurrency, 10_000);
        perTenantMaxConcurrency = positive("MAX_CONCURRENT_CALLS", perTenantMaxConcurrency, 200);
        perCampaignMaxConcurrency = positive("TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY", perCampaignMaxConcurrency,
                100);
        semaphoreTtlSec = positive("TELEPHONY_SEMAPHORE_TTL_SEC", semaphoreTtlSec, 600);
        heartbeatTimeoutSec = positive("TELEPHONY_HEARTBEAT_TIMEOUT_SEC", heartbeatTimeoutSec,
                DEFAULT_HEARTBEAT_TIMEOUT_SEC);
        if (heartbeatTimeoutSec < 2 || heartbeatTimeoutSec > 3_600) {
            throw new InvalidSettingException("TELEPHONY_HEARTBEAT_TIMEOUT_SEC", "must be between 2 and 3600 "
                    + "seconds, was " + heartbeatTimeoutSec);
        }
    }

    /** Settings with the given limits and TTL, and the default heartbeat timeout. */
    public static AdmissionSettings of(int global, int perTenant, int perCampaign, Duration ttl) {
        return of(global, perTenant, perCampaign, ttl, Duration.ofSeconds(DEFAULT_HEARTBEAT_TIMEOUT_SEC));
    }

    /** Settings with the given limits, TTL and heartbeat timeout. */
    public static AdmissionSettings of(int global, int perTenant, int perCampaign, Duration ttl,
                                       Duration heartbeatTimeout) {
        return new AdmissionSettings(global, perTenant, perCampaign, (int) ttl.toSeconds(),
                (int) heartbeatTimeout.toSeconds());
    }

    /** The lease of a slot that never received a heartbeat. */
    public Duration ttl() {
        return Duration.ofSeconds(semaphoreTtlSec);
    }

    /** The lease of a slot held by a realtime-edge node, counted from its last heartbeat. */
    public Duration heartbeatTimeout() {
        return Duration.ofSeconds(heartbeatTimeoutSec);
    }

    private static int positive(String variable, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new InvalidSettingException(variable, "must be a positive number, was " + value);
        }
        return value;
    }
}
