package io.sipai.runtime.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipai.runtime.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SIPAI_SECRETS_KEYS and SIPAI_SECRETS_ACTIVE_KEY: parsed, validated at startup, never printed. */
class SecretsSettingsTest {

    private static final String K1 = SecretBoxTest.base64(SecretBoxTest.key(1));
    private static final String K2 = SecretBoxTest.base64(SecretBoxTest.key(2));

    @Test
    void oneKeyIsTheActiveOneWithoutNamingIt() {
        SecretsSettings settings = new SecretsSettings("k1:" + K1, null);

        assertThat(settings.activeKey()).isEqualTo("k1");
        assertThat(settings.keyProvider().keyIds()).containsExactly("k1");
    }

    @Test
    void severalKeysNeedTheActiveOneNamedAndEveryOneDecrypts() {
        SecretsSettings settings = new SecretsSettings(" k1:" + K1 + " , k2:" + K2, "k2");

        assertThat(settings.keyProvider().activeKeyId()).isEqualTo("k2");
        assertThat(settings.keyProvider().keyIds()).containsExactlyInAnyOrder("k1", "k2");
        assertThatThrownBy(() -> new SecretsSettings("k1:" + K1 + ",k2:" + K2, null))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("SIPAI_SECRETS_ACTIVE_KEY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "nokeyid", ":abc", "k1:not base64!", "k1:c2hvcnQ=", "k 1:abc"})
    void aBadKeyListIsRefusedNamingTheVariableWithoutTheKey(String keys) {
        assertThatThrownBy(() -> new SecretsSettings(keys, null))
                .isInstanceOf(InvalidSettingException.class)
                .satisfies(e -> assertThat(((InvalidSettingException) e).variable()).isEqualTo("SIPAI_SECRETS_KEYS"))
                .hasMessageNotContaining("c2hvcnQ=");
    }

    @Test
    void aMissingKeyListAndADuplicateIdAreRefused() {
        assertThatThrownBy(() -> new SecretsSettings(null, null)).hasMessageStartingWith("SIPAI_SECRETS_KEYS");
        assertThatThrownBy(() -> new SecretsSettings("k1:" + K1 + ",k1:" + K2, "k1"))
                .hasMessageContaining("listed twice");
    }

    @Test
    void anActiveKeyThatIsNotListedIsRefused() {
        assertThatThrownBy(() -> new SecretsSettings("k1:" + K1, "k2"))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("SIPAI_SECRETS_ACTIVE_KEY");
    }

    @Test
    void theKeysNeverAppearInTheSettingsText() {
        assertThat(new SecretsSettings("k1:" + K1, null).toString()).doesNotContain(K1);
    }
}
