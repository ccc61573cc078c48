package io.sipai.dispatcher.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import io.sipai.config.SigningSecret;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signing, checked against the spec's published vector and the reference Java verifier. */
class WebhookSignerTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void signsThePublishedSpecVector() {
        // given the vector shared by every official library's tests
        String signature = WebhookSigner.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}");

        // then
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void signsTheLocallyComputedSheetVector() {
        String body = "{\"type\":\"contact.created\",\"timestamp\":\"2022-11-03T20:26:10.344522Z\",\"data\":"
                + "{\"id\":\"1f81eb52-5198-4599-803e-771906343485\"}}";

        assertThat(WebhookSigner.sign(SECRET, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1674087231, body))
                .isEqualTo("v1,ARw42xaAApl/nxRo+iPGYwSaMQaOwMo2eyH5JBRA+bQ=");
    }

    @Test
    void duringRotationBothSecretsSignAndEitherVerifiesWithTheReferenceLibrary() throws Exception {
        // given an old secret still valid for an hour and a new current one
        Instant now = Instant.now();
        String newSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        List<SigningSecret> secrets = List.of(new SigningSecret(SECRET, now.plusSeconds(3600)),
                new SigningSecret(newSecret, null));
        String body = "{\"type\":\"call.ended\"}";

        // when
        String header = WebhookSigner.signatureHeader("evt_1", now.getEpochSecond(), body, secrets, now);

        // then two space-separated v1 signatures, each accepted by a receiver holding only its secret
        assertThat(header.split(" ")).hasSize(2).allMatch(part -> part.startsWith("v1,"));
        Map<String, List<String>> headers = Map.of("webhook-id", List.of("evt_1"),
                "webhook-timestamp", List.of(Long.toString(now.getEpochSecond())),
                "webhook-signature", List.of(header));
        new Webhook(SECRET).verify(body, headers);
        new Webhook(newSecret).verify(body, headers);
    }

    @Test
    void anExpiredSecretNoLongerSigns() {
        Instant now = Instant.now();
        List<SigningSecret> secrets = List.of(new SigningSecret(SECRET, now.minusSeconds(1)));

        assertThatThrownBy(() -> WebhookSigner.signatureHeader("evt", 1, "{}", secrets, now))
                .hasMessageContaining("no valid signing secret");
    }

    @Test
    void anEmptySecretIsRejected() {
        assertThatThrownBy(() -> WebhookSigner.sign("whsec_", "id", 1, "{}"))
                .hasMessageContaining("may not be empty");
    }
}
