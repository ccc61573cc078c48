package io.sipai.dispatcher.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.config.SigningSecret;
import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.testing.MasterKeys;
import io.sipai.runtime.secrets.SecretBox;
import io.sipai.runtime.secrets.SecretException;
import org.junit.jupiter.api.Test;

/** Opening a subscription's sealed secrets for one attempt: sealed, legacy in clear, expired, foreign. */
class SigningKeysTest {

    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");
    private static final String CURRENT = "whsec_" + "Y3VycmVudC1rZXktYnl0ZXMtMDEyMzQ1Njc4OWFiY2Q=";
    private static final String PREVIOUS = "whsec_" + "cHJldmlvdXMta2V5LWJ5dGVzLTAxMjM0NTY3ODlhYmM=";

    private final SecretBox gateway = MasterKeys.box();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SigningKeys keys = new SigningKeys(MasterKeys.box(), meters);

    @Test
    void sealedSecretsStillValidOpenToWhatTheApiShowedAndExpiredOnesAreSkipped() {
        // given a subscription mid-rotation, and one long-expired secret
        WebhookSubscription subscription = subscription("whk_1", List.of(
                sealed("whk_1", CURRENT, null), sealed("whk_1", PREVIOUS, NOW.plusSeconds(60)),
                sealed("whk_1", PREVIOUS, NOW.minusSeconds(1))));

        // when
        List<SigningSecret> valid = keys.valid(subscription, NOW);

        // then
        assertThat(valid).extracting(SigningSecret::getSecret).containsExactly(CURRENT, PREVIOUS);
        assertThat(meters.counter(SigningKeys.LEGACY_METER).count()).isZero();
    }

    @Test
    void aSecretStoredInClearStillSignsAndIsCounted() {
        WebhookSubscription legacy = subscription("whk_2", List.of(new SigningSecret(CURRENT, null)));

        assertThat(keys.valid(legacy, NOW)).extracting(SigningSecret::getSecret).containsExactly(CURRENT);
        assertThat(keys.valid(legacy, NOW)).hasSize(1);
        assertThat(meters.counter(SigningKeys.LEGACY_METER).count()).isEqualTo(2);
    }

    @Test
    void aSealedSecretCopiedFromAnotherSubscriptionDoesNotOpen() {
        WebhookSubscription thief = subscription("whk_3", List.of(sealed("whk_other", CURRENT, null)));

        assertThatThrownBy(() -> keys.valid(thief, NOW)).isInstanceOf(SecretException.class)
                .hasMessageNotContaining(CURRENT);
    }

    private SigningSecret sealed(String subscriptionId, String secret, Instant notAfter) {
        return new SigningSecret(gateway.seal(secret, SecretBox.webhookOwner("acme", subscriptionId)), notAfter);
    }

    private static WebhookSubscription subscription(String id, List<SigningSecret> secrets) {
        return WebhookSubscription.newBuilder().setSubscriptionId(id).setTenantId("acme").setVersion(1)
                .setUpdatedAt(NOW).setUrl("https://example.com/hook").setEventTypes(List.of("*"))
                .setSecrets(secrets).build();
    }
}
