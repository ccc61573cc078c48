package io.sipai.gateway.tenants.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntSupplier;

import io.sipai.gateway.web.ApiSettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Per-API-key token buckets ({@code API_RATE_LIMIT_PER_SECOND}, {@code API_RATE_LIMIT_BURST}) for the whole
 * deployment: with N gateway instances ({@link GatewayInstances}) each enforces 1/N of the rate and of the burst, so
 * behind a balancer that spreads requests evenly a key gets its limit in total, and the check stays free of network
 * round trips. {@code API_RATE_LIMIT_SCOPE=instance} gives every instance the whole limit instead.
 */
@Component
public class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final IntSupplier instances;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Autowired
    public RateLimiter(ApiSettings settings, GatewayInstances instances) {
        this(settings.rateLimitPerSecond(), settings.rateLimitBurst(),
                settings.rateLimitShared() ? instances::count : () -> 1);
    }

    RateLimiter(double perSecond, double burst, IntSupplier instances) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.instances = instances;
    }

    /** 0 when the request may proceed, else the seconds to wait before retrying (at least 1). */
    public long acquire(String keyId, long nowNanos) {
        int share = Math.max(1, instances.getAsInt());
        double rate = perSecond / share;
        double size = Math.max(1, burst / share);
        return buckets.computeIfAbsent(keyId, id -> new Bucket(size, nowNanos)).take(nowNanos, rate, size);
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.updatedNanos = nowNanos;
        }

        synchronized long take(long nowNanos, double perSecond, double burst) {
            tokens = Math.min(burst, tokens + (nowNanos - updatedNanos) / 1e9 * perSecond);
            updatedNanos = nowNanos;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }
}
