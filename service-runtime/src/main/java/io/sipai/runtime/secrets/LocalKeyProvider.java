package io.sipai.runtime.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Master keys held in memory (from {@code SIPAI_SECRETS_KEYS}): each wraps data keys with AES-256-GCM, the key id
 * bound as associated data so a wrapped key cannot be passed off under another id.
 */
public final class LocalKeyProvider implements KeyProvider {

    /** What a key id may look like: it is written into every sealed value, between colons. */
    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final Map<String, byte[]> keys;
    private final String activeKeyId;

    /**
     * @param keys        master keys (32 bytes each) by key id
     * @param activeKeyId the id new data keys are wrapped under; one of {@code keys}
     */
    public LocalKeyProvider(Map<String, byte[]> keys, String activeKeyId) {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("key id '" + id + "' must match " + KEY_ID.pattern());
            }
            if (key.length != Aes.KEY_BYTES) {
                throw new IllegalArgumentException("key '" + id + "' must be " + Aes.KEY_BYTES + " bytes");
            }
            copy.put(id, key.clone());
        });
        if (!copy.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("active key id '" + activeKeyId + "' is not among " + copy.keySet());
        }
        this.keys = Map.copyOf(copy);
        this.activeKeyId = activeKeyId;
    }

    @Override
    public String activeKeyId() {
        return activeKeyId;
    }

    /** The key ids this provider can unwrap. */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) {
        return new WrappedKey(activeKeyId, Aes.encrypt(keys.get(activeKeyId), dataKey, aad(activeKeyId)));
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped) {
        byte[] key = keys.get(keyId);
        if (key == null) {
            throw new SecretException("unknown master key id '" + keyId + "' (not in SIPAI_SECRETS_KEYS)");
        }
        return Aes.decrypt(key, wrapped, aad(keyId));
    }

    private static String aad(String keyId) {
        return "sipai-data-key:" + keyId;
    }

    @Override
    public String toString() {
        return "LocalKeyProvider[active=" + activeKeyId + ", keys=" + keys.keySet() + "]";
    }
}
