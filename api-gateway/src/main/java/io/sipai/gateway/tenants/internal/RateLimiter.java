package io.sipai.gateway.tenants.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.sipai.gateway.internal.web.ApiSettings;
import org.springframework.stereotype.Component;

/**
 * Per-API-key token buckets ({@code API_RATE_LIMIT_PER_SECOND}, {@code API_RATE_LIMIT_BURST}). Per instance: with
 * several gateway instances a key gets the limit on each, which keeps the check free of network round trips.
 */
@Component
public class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(ApiSettings settings) {
        this.perSecond = settings.rateLimitPerSecond();
        this.burst = settings.rateLimitBurst();
    }

    /** 0 when the request may proceed, else the seconds to wait before retrying (at least 1). */
    public long acquire(String keyId, long nowNanos) {
        return buckets.computeIfAbsent(keyId, id -> new Bucket(burst, nowNanos)).take(nowNanos, perSecond, burst);
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
