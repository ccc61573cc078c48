package io.sipai.runtime.secrets;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The master keys of {@link SecretBox} (prefix {@code sipai.secrets}). Only the services that seal or open secrets
 * register these settings (api-gateway and webhook-dispatcher), so no other service needs, or holds, the keys.
 *
 * @param keys      {@code SIPAI_SECRETS_KEYS}: comma-separated {@code keyId:base64} master keys, each 32 random
 *                  bytes ({@code openssl rand -base64 32}); every id listed can decrypt, so a retired key stays
 *                  listed until nothing is wrapped under it (required by api-gateway and webhook-dispatcher)
 * @param activeKey {@code SIPAI_SECRETS_ACTIVE_KEY}: the key id new secrets are sealed under (default: the only key,
 *                  required when several are listed)
 */
@ConfigurationProperties("sipai.secrets")
public record SecretsSettings(String keys, String activeKey) {

    /** The variable of {@link #keys()}. */
    public static final String KEYS_VARIABLE = "SIPAI_SECRETS_KEYS";
    /** The variable of {@link #activeKey()}. */
    public static final String ACTIVE_VARIABLE = "SIPAI_SECRETS_ACTIVE_KEY";

    public SecretsSettings {
        Map<String, byte[]> parsed = parse(keys);
        if (activeKey == null || activeKey.isBlank()) {
            if (parsed.size() > 1) {
                throw new InvalidSettingException(ACTIVE_VARIABLE, "is empty while " + KEYS_VARIABLE
                        + " lists several keys " + parsed.keySet() + "; name the one new secrets are sealed under");
            }
            activeKey = parsed.keySet().iterator().next();
        }
        activeKey = activeKey.strip();
        if (!parsed.containsKey(activeKey)) {
            throw new InvalidSettingException(ACTIVE_VARIABLE, "'" + activeKey + "' is not a key id of "
                    + KEYS_VARIABLE + " " + parsed.keySet());
        }
    }

    /** The keys as a provider, the active one wrapping new data keys. */
    public LocalKeyProvider keyProvider() {
        return new LocalKeyProvider(parse(keys), activeKey);
    }

    private static Map<String, byte[]> parse(String keys) {
        if (keys == null || keys.isBlank()) {
            throw new InvalidSettingException(KEYS_VARIABLE, "is empty; expected keyId:base64-of-32-random-bytes"
                    + "[,keyId:base64] (e.g. k1:$(openssl rand -base64 32))");
        }
        Map<String, byte[]> parsed = new LinkedHashMap<>();
        for (String entry : keys.split(",")) {
            String trimmed = entry.strip();
            int colon = trimmed.indexOf(':');
            String id = colon < 0 ? "" : trimmed.substring(0, colon);
            if (!LocalKeyProvider.KEY_ID.matcher(id).matches()) {
                throw new InvalidSettingException(KEYS_VARIABLE, "entry " + (parsed.size() + 1)
                        + " has no key id; expected keyId:base64 with an id of letters, digits, '.', '_', '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(KEYS_VARIABLE, "key '" + id + "' is not base64");
            }
            if (key.length != Aes.KEY_BYTES) {
                throw new InvalidSettingException(KEYS_VARIABLE, "key '" + id + "' is " + key.length
                        + " bytes; expected " + Aes.KEY_BYTES + " (openssl rand -base64 32)");
            }
            if (parsed.put(id, key) != null) {
                throw new InvalidSettingException(KEYS_VARIABLE, "key id '" + id + "' is listed twice");
            }
        }
        return parsed;
    }

    @Override
    public String toString() {
        return "SecretsSettings[activeKey=" + activeKey + "]";
    }
}
