package io.sipai.edge.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The API keys {@code /realtime/voice} accepts: those of {@code REALTIME_API_KEY} (a comma-separated list whose
 * entries are {@code key}, tenant {@code default}, or {@code tenantId:key}), then the tenants' keys api-gateway
 * grants ({@link TenantKeys}). Only SHA-256 digests are held; the configured ones are compared in constant time,
 * so neither memory dumps nor timing reveal a key.
 */
public final class ApiKeys {

    /** Tenant of keys configured without one. */
    public static final String DEFAULT_TENANT = "default";

    private record Entry(String tenantId, byte[] digest) {
    }

    private final List<Entry> entries;
    private final TenantKeys published;

    /** Only the configured keys (no tenant keys). */
    public ApiKeys(String configured) {
        this(configured, null);
    }

    /** @param published the tenants' keys from api-gateway; null for none */
    public ApiKeys(String configured, TenantKeys published) {
        this.published = published;
        List<Entry> parsed = new ArrayList<>();
        if (configured != null) {
            for (String raw : configured.split(",")) {
                String item = raw.strip();
                if (item.isEmpty()) {
                    continue;
                }
                int colon = item.indexOf(':');
                String tenant = colon > 0 ? item.substring(0, colon).strip() : DEFAULT_TENANT;
                String key = colon > 0 ? item.substring(colon + 1).strip() : item;
                parsed.add(new Entry(tenant, digest(key)));
            }
        }
        this.entries = List.copyOf(parsed);
    }

    /** Whether any key can be accepted: configured ones, or the tenants' keys. */
    public boolean configured() {
        return !entries.isEmpty() || published != null;
    }

    /** The tenant of a valid key, or null. */
    public String tenantOf(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        byte[] candidate = digest(key);
        String match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), candidate) && match == null) {
                match = entry.tenantId();
            }
        }
        return match != null || published == null ? match : published.tenantOf(candidate);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
