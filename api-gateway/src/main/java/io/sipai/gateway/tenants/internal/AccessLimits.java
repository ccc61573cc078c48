package io.sipai.gateway.tenants.internal;

import java.util.List;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits that keep one client address or one tenant from taking the API over, beside the per-key rate limit of
 * {@code ApiSettings}.
 *
 * @param authFailuresPerMinute    {@code API_AUTH_FAILURES_PER_MINUTE}: failed authentications a client address
 *                                 may make per minute, sustained (default 20); past them its requests are answered
 *                                 429 before any key is looked up
 * @param authFailureBurst         {@code API_AUTH_FAILURE_BURST}: failed authentications an address may make at
 *                                 once (default 20)
 * @param trustedProxies           {@code API_TRUSTED_PROXIES}: addresses or CIDR ranges of the proxies whose
 *                                 {@code X-Forwarded-For} is believed (default none: the peer address counts)
 * @param tenantRateLimitPerSecond {@code API_TENANT_RATE_LIMIT_PER_SECOND}: sustained requests per tenant across
 *                                 all its keys (default 300)
 * @param tenantRateLimitBurst     {@code API_TENANT_RATE_LIMIT_BURST}: requests a tenant may send at once (default
 *                                 2 s worth)
 * @param maxKeysPerTenant         {@code API_MAX_KEYS_PER_TENANT}: active (not revoked) API keys a tenant may hold
 *                                 (default 50)
 */
@ConfigurationProperties("api")
public record AccessLimits(Integer authFailuresPerMinute, Integer authFailureBurst, List<String> trustedProxies,
                           Integer tenantRateLimitPerSecond, Integer tenantRateLimitBurst,
                           Integer maxKeysPerTenant) {

    public AccessLimits {
        authFailuresPerMinute = positive(authFailuresPerMinute, 20, "API_AUTH_FAILURES_PER_MINUTE");
        authFailureBurst = positive(authFailureBurst, 20, "API_AUTH_FAILURE_BURST");
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::strip).filter(text -> !text.isEmpty()).toList();
        TrustedProxies.parse(trustedProxies);
        tenantRateLimitPerSecond = positive(tenantRateLimitPerSecond, 300, "API_TENANT_RATE_LIMIT_PER_SECOND");
        tenantRateLimitBurst = positive(tenantRateLimitBurst, 2 * tenantRateLimitPerSecond,
                "API_TENANT_RATE_LIMIT_BURST");
        maxKeysPerTenant = positive(maxKeysPerTenant, 50, "API_MAX_KEYS_PER_TENANT");
    }

    private static int positive(Integer value, int fallback, String variable) {
        int result = value == null ? fallback : value;
        if (result < 1) {
            throw new InvalidSettingException(variable, "must be positive");
        }
        return result;
    }
}
