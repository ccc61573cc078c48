package io.sipai.runtime.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Envelope encryption: round trip, owner binding, tampering, unknown keys and master-key rotation. */
class SecretBoxTest {

    private static final byte[] K1 = key(1);
    private static final byte[] K2 = key(2);
    private static final String OWNER = SecretBox.webhookOwner("acme", "whk_1");
    private static final String SECRET = "whsec_c2VjcmV0LWtleS1ieXRlcy0wMTIzNDU2Nzg5YWJjZGVm";

    private final SecretBox box = new SecretBox(new LocalKeyProvider(Map.of("k1", K1), "k1"));

    @Test
    void aSealedSecretOpensForItsOwnerAndHoldsNoPlaintext() {
        String sealed = box.seal(SECRET, OWNER);

        assertThat(sealed).startsWith("enc:v1:k1:").doesNotContain(SECRET).doesNotContain(SECRET.substring(6));
        assertThat(SecretBox.isSealed(sealed)).isTrue();
        assertThat(SecretBox.isSealed(SECRET)).isFalse();
        assertThat(box.open(sealed, OWNER)).isEqualTo(SECRET);
    }

    @Test
    void everySealUsesAFreshDataKeyAndIv() {
        assertThat(box.seal(SECRET, OWNER)).isNotEqualTo(box.seal(SECRET, OWNER));
    }

    @Test
    void aSealedValueCopiedToAnotherOwnerDoesNotOpen() {
        String sealed = box.seal(SECRET, OWNER);

        assertThatThrownBy(() -> box.open(sealed, SecretBox.webhookOwner("acme", "whk_2")))
                .isInstanceOf(SecretException.class).hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> box.open(sealed, SecretBox.webhookOwner("other", "whk_1")))
                .isInstanceOf(SecretException.class);
    }

    @Test
    void aTamperedCiphertextOrWrappedKeyDoesNotOpen() {
        String sealed = box.seal(SECRET, OWNER);
        String[] parts = sealed.split(":");

        String badCiphertext = String.join(":", parts[0], parts[1], parts[2], parts[3], flipLastByte(parts[4]));
        String badWrappedKey = String.join(":", parts[0], parts[1], parts[2], flipLastByte(parts[3]), parts[4]);

        assertThatThrownBy(() -> box.open(badCiphertext, OWNER)).isInstanceOf(SecretException.class);
        assertThatThrownBy(() -> box.open(badWrappedKey, OWNER)).isInstanceOf(SecretException.class);
        assertThatThrownBy(() -> box.open("enc:v1:k1:not-base64!:x", OWNER)).isInstanceOf(SecretException.class);
        assertThatThrownBy(() -> box.open(SECRET, OWNER)).isInstanceOf(SecretException.class);
    }

    @Test
    void aValueUnderAnUnknownKeyIdDoesNotOpenAndTheErrorNamesTheId() {
        String sealed = new SecretBox(new LocalKeyProvider(Map.of("k9", K2), "k9")).seal(SECRET, OWNER);

        assertThatThrownBy(() -> box.open(sealed, OWNER)).isInstanceOf(SecretException.class)
                .hasMessageContaining("'k9'");
    }

    @Test
    void aWrappedKeyRelabelledWithAnotherKeyIdDoesNotOpen() {
        SecretBox both = new SecretBox(new LocalKeyProvider(Map.of("k1", K1, "k2", K1), "k1"));
        String relabelled = both.seal(SECRET, OWNER).replace("enc:v1:k1:", "enc:v1:k2:");

        assertThatThrownBy(() -> both.open(relabelled, OWNER)).isInstanceOf(SecretException.class);
    }

    @Test
    void afterRotationOldValuesStillOpenNewOnesUseTheActiveKeyAndRewrapMovesOldOnes() {
        // Given a value sealed under k1, then k2 made active with k1 still listed
        String old = box.seal(SECRET, OWNER);
        SecretBox rotated = new SecretBox(new LocalKeyProvider(Map.of("k1", K1, "k2", K2), "k2"));

        // Then the old value opens, new ones are sealed under k2, and only the old one needs re-wrapping
        assertThat(rotated.open(old, OWNER)).isEqualTo(SECRET);
        assertThat(rotated.seal(SECRET, OWNER)).startsWith("enc:v1:k2:");
        assertThat(rotated.isCurrent(old)).isFalse();

        // When the old value is re-wrapped
        String rewrapped = rotated.rewrap(old);

        // Then it is under k2, keeps its ciphertext, and opens once k1 is retired
        assertThat(SecretBox.keyId(rewrapped)).isEqualTo("k2");
        assertThat(rotated.isCurrent(rewrapped)).isTrue();
        assertThat(rewrapped.substring(rewrapped.lastIndexOf(':'))).isEqualTo(old.substring(old.lastIndexOf(':')));
        SecretBox retired = new SecretBox(new LocalKeyProvider(Map.of("k2", K2), "k2"));
        assertThat(retired.open(rewrapped, OWNER)).isEqualTo(SECRET);
        assertThatThrownBy(() -> retired.open(old, OWNER)).isInstanceOf(SecretException.class);
    }

    private static String flipLastByte(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        bytes[bytes.length - 1] ^= 1;
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] key(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return key;
    }

    static String base64(byte[] key) {
        return new String(Base64.getEncoder().encode(key), StandardCharsets.US_ASCII);
    }
}
