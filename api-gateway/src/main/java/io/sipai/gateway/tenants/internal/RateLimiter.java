package io.sipai.gateway.tenants.internal;

import java.util.function.IntSupplier;

import io.sipai.gateway.web.ApiSettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The request limits of the whole deployment, as token buckets: per API key ({@code API_RATE_LIMIT_PER_SECOND},
 * {@code API_RATE_LIMIT_BURST}), per tenant across all its keys ({@code API_TENANT_RATE_LIMIT_PER_SECOND},
 * {@code _BURST}, so making more keys does not multiply a tenant's share) and failed authentications per client
 * address ({@code API_AUTH_FAILURES_PER_MINUTE}, {@code API_AUTH_FAILURE_BURST}, checked before a key is looked
 * up, so guessing keys costs the guesser and not the database). With N gateway instances ({@link GatewayInstances})
 * each enforces 1/N of every rate and burst, so behind a balancer that spreads requests evenly the limits hold in
 * total, and the checks stay free of network round trips. {@code API_RATE_LIMIT_SCOPE=instance} gives every
 * instance the whole limits instead.
 */
@Component
public class RateLimiter {

    private static final int MAX_BUCKETS = 100_000;
    private static final double UNLIMITED = 1e12;

    private final double perSecond;
    private final double burst;
    private final double tenantPerSecond;
    private final double tenantBurst;
    private final double failuresPerSecond;
    private final double failureBurst;
    private final IntSupplier instances;
    private final TokenBuckets keys = new TokenBuckets(MAX_BUCKETS);
    private final TokenBuckets tenants = new TokenBuckets(MAX_BUCKETS);
    private final TokenBuckets failures = new TokenBuckets(MAX_BUCKETS);

    @Autowired
    public RateLimiter(ApiSettings settings, AccessLimits limits, GatewayInstances instances) {
        this(new double[] {settings.rateLimitPerSecond(), settings.rateLimitBurst(),
            limits.tenantRateLimitPerSecond(), limits.tenantRateLimitBurst(),
            limits.authFailuresPerMinute() / 60.0, limits.authFailureBurst()},
                settings.rateLimitShared() ? instances::count : () -> 1);
    }

    /** The per-key limits alone (tenants and failed authentications unlimited), for tests of the key limit. */
    RateLimiter(double perSecond, double burst, IntSupplier instances) {
        this(new double[] {perSecond, burst, UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED}, instances);
    }

    /** Limits in the order key rate, key burst, tenant rate, tenant burst, failure rate, failure burst. */
    private RateLimiter(double[] limits, IntSupplier instances) {
        this.perSecond = limits[0];
        this.burst = limits[1];
        this.tenantPerSecond = limits[2];
        this.tenantBurst = limits[3];
        this.failuresPerSecond = limits[4];
        this.failureBurst = limits[5];
        this.instances = instances;
    }

    /** 0 when the key may make a request now, else the seconds to wait before retrying (at least 1). */
    public long acquire(String keyId, long nowNanos) {
        int share = share();
        return keys.take(keyId, nowNanos, perSecond / share, Math.max(1, burst / share));
    }

    /** 0 when the tenant (any of its keys) may make a request now, else the seconds to wait (at least 1). */
    public long acquireTenant(String tenantId, long nowNanos) {
        int share = share();
        return tenants.take(tenantId, nowNanos, tenantPerSecond / share, Math.max(1, tenantBurst / share));
    }

    /** 0 while {@code client} may still try to authenticate, else the seconds until it may (at least 1). */
    public long authenticationWait(String client, long nowNanos) {
        int share = share();
        return failures.peek(client, nowNanos, failuresPerSecond / share, Math.max(1, failureBurst / share));
    }

    /** Counts a failed authentication of {@code client} against its allowance. */
    public void authenticationFailed(String client, long nowNanos) {
        int share = share();
        failures.take(client, nowNanos, failuresPerSecond / share, Math.max(1, failureBurst / share));
    }

    private int share() {
        return Math.max(1, instances.getAsInt());
    }
}
