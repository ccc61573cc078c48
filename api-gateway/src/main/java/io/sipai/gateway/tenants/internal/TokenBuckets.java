package io.sipai.gateway.tenants.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Token buckets by name (an API key, a tenant, a client address), refilled continuously. Buckets that have refilled
 * completely are dropped once there are more than {@code maxBuckets}, so a flood of distinct names (addresses of
 * a botnet) costs bounded memory: a full bucket is the same as no bucket.
 */
final class TokenBuckets {

    private final int maxBuckets;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(int maxBuckets) {
        this.maxBuckets = maxBuckets;
    }

    /** Takes a token: 0 when there was one, else the seconds until there is (at least 1). */
    long take(String name, long nowNanos, double perSecond, double size) {
        return bucket(name, nowNanos, size).take(nowNanos, perSecond, size, true);
    }

    /** Like {@link #take} but leaves the token in place: whether a request may go ahead. */
    long peek(String name, long nowNanos, double perSecond, double size) {
        Bucket bucket = buckets.get(name);
        return bucket == null ? 0 : bucket.take(nowNanos, perSecond, size, false);
    }

    private Bucket bucket(String name, long nowNanos, double size) {
        if (buckets.size() >= maxBuckets && !buckets.containsKey(name)) {
            buckets.values().removeIf(bucket -> bucket.fullAt(nowNanos, size));
        }
        return buckets.computeIfAbsent(name, id -> new Bucket(size, nowNanos));
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;
        private double lastRate;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.updatedNanos = nowNanos;
        }

        synchronized long take(long nowNanos, double perSecond, double size, boolean consume) {
            lastRate = perSecond;
            tokens = Math.min(size, tokens + Math.max(0, nowNanos - updatedNanos) / 1e9 * perSecond);
            updatedNanos = Math.max(updatedNanos, nowNanos);
            if (tokens >= 1) {
                if (consume) {
                    tokens -= 1;
                }
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }

        synchronized boolean fullAt(long nowNanos, double size) {
            return tokens + Math.max(0, nowNanos - updatedNanos) / 1e9 * lastRate >= size;
        }
    }
}
