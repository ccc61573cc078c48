package io.sipai.processors.admission;

import java.time.Duration;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Concurrency limits enforced by the admission processor.
 *
 * @param globalMaxConcurrency      {@code TELEPHONY_GLOBAL_MAX_CONCURRENCY}: slots across all tenants (default 10000)
 * @param perTenantMaxConcurrency   {@code MAX_CONCURRENT_CALLS}: slots per tenant (default 200)
 * @param perCampaignMaxConcurrency {@code TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY}: slots per campaign unless the
 *                                  campaign sets its own {@code maxConcurrency} (default 100)
 * @param semaphoreTtlSec           {@code TELEPHONY_SEMAPHORE_TTL_SEC}: a slot without heartbeat for this long is
 *                                  reclaimed; also how long answered decisions and release markers are remembered
 *                                  (default 600)
 */
@ConfigurationProperties("telephony")
public record AdmissionSettings(Integer globalMaxConcurrency, Integer perTenantMaxConcurrency,
                                Integer perCampaignMaxConcurrency, Integer semaphoreTtlSec) {

    public AdmissionSettings {
        globalMaxConcurrency = positive("TELEPHONY_GLOBAL_MAX_CONCURRENCY", globalMaxConcurrency, 10_000);
        perTenantMaxConcurrency = positive("MAX_CONCURRENT_CALLS", perTenantMaxConcurrency, 200);
        perCampaignMaxConcurrency = positive("TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY", perCampaignMaxConcurrency,
                100);
        semaphoreTtlSec = positive("TELEPHONY_SEMAPHORE_TTL_SEC", semaphoreTtlSec, 600);
    }

    /** Settings with the given limits. */
    public static AdmissionSettings of(int global, int perTenant, int perCampaign, Duration ttl) {
        return new AdmissionSettings(global, perTenant, perCampaign, (int) ttl.toSeconds());
    }

    /** The slot lease. */
    public Duration ttl() {
        return Duration.ofSeconds(semaphoreTtlSec);
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
