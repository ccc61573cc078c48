package io.sipai.runtime.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Envelope encryption of secrets at rest (webhook signing secrets in PostgreSQL, on webhook.subscriptions.v1 and in
 * the dispatcher's store). Each secret gets a fresh random AES-256 data key; the data key encrypts the secret with
 * AES-256-GCM and is itself wrapped by a master key of the {@link KeyProvider}. The sealed text is
 * <pre>enc:v1:&lt;keyId&gt;:&lt;base64 wrapped data key&gt;:&lt;base64 iv + ciphertext + tag&gt;</pre>
 * The secret's owner (e.g. {@link #webhookOwner}) is the ciphertext's associated data, so a sealed value copied to
 * another owner does not open. Re-wrapping under a new master key ({@link #rewrap}) changes only the wrapped data
 * key, never the ciphertext. Thread-safe.
 */
public final class SecretBox {

    /** The prefix of every sealed value (format version 1). */
    public static final String PREFIX = "enc:v1:";

    private final KeyProvider keys;

    public SecretBox(KeyProvider keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The owner of a webhook subscription's signing secrets: api-gateway seals, webhook-dispatcher opens. */
    public static String webhookOwner(String tenantId, String subscriptionId) {
        return "webhook-subscription:" + tenantId + "/" + subscriptionId;
    }

    /** Whether {@code value} is a sealed value (else it is a secret in clear, e.g. written before encryption). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Seals {@code plaintext} for {@code owner} under the active master key. */
    public String seal(String plaintext, String owner) {
        byte[] dataKey = Aes.randomKey();
        try {
            byte[] ciphertext = Aes.encrypt(dataKey, plaintext.getBytes(StandardCharsets.UTF_8), owner);
            KeyProvider.WrappedKey wrapped = keys.wrap(dataKey);
            return format(wrapped, ciphertext);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * The plaintext of a value {@link #seal sealed} for {@code owner}.
     *
     * @throws SecretException when it is not a sealed value, its key id is unknown, it was tampered with, or it was
     *                         sealed for another owner
     */
    public String open(String sealed, String owner) {
        Parts parts = Parts.parse(sealed);
        byte[] dataKey = keys.unwrap(parts.keyId(), parts.wrappedKey());
        try {
            return new String(Aes.decrypt(dataKey, parts.ciphertext(), owner), StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Whether a sealed value is wrapped under the active master key (else {@link #rewrap} moves it there). */
    public boolean isCurrent(String sealed) {
        return isSealed(sealed) && Parts.parse(sealed).keyId().equals(keys.activeKeyId());
    }

    /** The master key id a sealed value was wrapped under. */
    public static String keyId(String sealed) {
        return Parts.parse(sealed).keyId();
    }

    /**
     * The same secret with its data key wrapped under the active master key; the ciphertext is kept, so this never
     * sees the secret.
     */
    public String rewrap(String sealed) {
        Parts parts = Parts.parse(sealed);
        byte[] dataKey = keys.unwrap(parts.keyId(), parts.wrappedKey());
        try {
            return format(keys.wrap(dataKey), parts.ciphertext());
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static String format(KeyProvider.WrappedKey wrapped, byte[] ciphertext) {
        Base64.Encoder base64 = Base64.getEncoder();
        return PREFIX + wrapped.keyId() + ":" + base64.encodeToString(wrapped.bytes()) + ":"
                + base64.encodeToString(ciphertext);
    }

    /** The three fields of a sealed value. */
    private record Parts(String keyId, byte[] wrappedKey, byte[] ciphertext) {

        static Parts parse(String sealed) {
            if (!isSealed(sealed)) {
                throw new SecretException("not a sealed value (no " + PREFIX + " prefix)");
            }
            String[] fields = sealed.substring(PREFIX.length()).split(":", -1);
            if (fields.length != 3 || fields[0].isEmpty()) {
                throw new SecretException("malformed sealed value: expected " + PREFIX
                        + "<keyId>:<wrapped key>:<ciphertext>");
            }
            try {
                return new Parts(fields[0], Base64.getDecoder().decode(fields[1]),
                        Base64.getDecoder().decode(fields[2]));
            } catch (IllegalArgumentException e) {
                throw new SecretException("malformed sealed value: bad base64", e);
            }
        }
    }
}
