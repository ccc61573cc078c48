package io.sipai.edge.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The realtime API keys from {@code REALTIME_API_KEY}: a comma-separated list whose entries are {@code key} (tenant
 * {@code default}) or {@code tenantId:key}. Only SHA-256 digests are held, and a lookup compares every digest in
 * constant time, so neither memory dumps nor timing reveal a key.
 */
public final class ApiKeys {

    /** Tenant of keys configured without one. */
    public static final String DEFAULT_TENANT = "default";

    private record Entry(String tenantId, byte[] digest) {
    }

    private final List<Entry> entries;

    public ApiKeys(String configured) {
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

    /** Whether any key is configured. */
    public boolean configured() {
        return !entries.isEmpty();
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
        return match;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
