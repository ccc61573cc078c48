package io.sipai.runtime.secrets;

/**
 * Holds the master keys that wrap {@link SecretBox}'s data keys. The master keys never leave it: it wraps a fresh
 * data key under the active master key and unwraps a stored one under the key id it was wrapped with, so old
 * key ids keep decrypting while new writes use the active one (rotation without downtime).
 *
 * <p>{@link LocalKeyProvider} holds the keys in memory from {@code SIPAI_SECRETS_KEYS}. A KMS plugs in here: its
 * {@code wrap} is the KMS's Encrypt (or GenerateDataKey) of the data key under the key the active id names, its
 * {@code unwrap} the KMS's Decrypt, and the key ids are short names the provider maps to KMS key ARNs (an id may
 * not contain {@code :}). The KMS's own access policy then decides which service may decrypt.
 */
public interface KeyProvider {

    /** The key id new data keys are wrapped under. */
    String activeKeyId();

    /** Wraps {@code dataKey} under the active master key. */
    WrappedKey wrap(byte[] dataKey);

    /**
     * The data key wrapped under {@code keyId}.
     *
     * @throws SecretException when the key id is unknown or the wrapped bytes were not made by that key
     */
    byte[] unwrap(String keyId, byte[] wrapped);

    /** A wrapped data key and the id of the master key that wrapped it. */
    record WrappedKey(String keyId, byte[] bytes) {
    }
}
