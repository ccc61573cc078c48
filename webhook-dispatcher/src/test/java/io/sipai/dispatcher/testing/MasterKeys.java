package io.sipai.dispatcher.testing;

import io.sipai.runtime.secrets.SecretBox;
import io.sipai.runtime.secrets.SecretsSettings;

/** The master key the dispatcher's tests run with ({@code SIPAI_SECRETS_KEYS}), and api-gateway's box over it. */
public final class MasterKeys {

    /** {@code SIPAI_SECRETS_KEYS} of the tests (bytes 0..31 under id test1). */
    public static final String KEYS = "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private MasterKeys() {
    }

    /** A box with the tests' master key, sealing as api-gateway does. */
    public static SecretBox box() {
        return new SecretBox(new SecretsSettings(KEYS, null).keyProvider());
    }
}
