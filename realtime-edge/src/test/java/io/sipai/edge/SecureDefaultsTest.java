package io.sipai.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.sipai.runtime.InvalidSettingException;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The edge's defaults fail closed (issue 16 item 3): without {@code TWILIO_AUTH_TOKEN} it does not start unless the
 * Twilio signature check is switched off explicitly, and without {@code REALTIME_ALLOWED_ORIGINS} a browser page of
 * another origin cannot open {@code /realtime/voice}, even with a valid key.
 */
class SecureDefaultsTest {

    private static final String KEY = "defaults-key-0001";

    @Test
    void withoutATwilioAuthTokenTheEdgeRefusesToStartNamingTheSetting() {
        // given / when / then
        assertThatThrownBy(() -> new SpringApplicationBuilder(EdgeApplication.class).run("--server.port=0",
                "--kafka.bootstrap-servers=" + TestKafka.brokers(), "--edge.node-name=edge-no-twilio-token").close())
                .rootCause().isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("TWILIO_AUTH_TOKEN: is not set");
    }

    @Test
    void withTheCheckOffAndNoOriginsConfiguredOnlyTheEdgesOwnOriginAndNonBrowsersGetIn() {
        // given: the one-machine style settings, no Twilio token, no allowed origins
        try (ConfigurableApplicationContext edge = new SpringApplicationBuilder(EdgeApplication.class).run(
                "--server.port=0", "--kafka.bootstrap-servers=" + TestKafka.brokers(),
                "--edge.node-name=edge-defaults", "--edge.twilio.signature=off", "--realtime.api-key=" + KEY)) {
            String base = "ws://127.0.0.1:" + edge.getEnvironment().getProperty("local.server.port");
            String voice = base + "/realtime/voice?api_key=" + KEY;
            // when / then: a foreign page is refused, the edge's own origin and a client without Origin get in
            assertThatThrownBy(() -> WsClient.connect(URI.create(voice),
                    Map.of("Origin", "https://evil.example.com"), List.of()))
                    .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, e -> assertThat(e.status).isEqualTo(403));
            opens(voice, Map.of("Origin", base.replace("ws://", "http://")));
            opens(voice, Map.of());
            // and a Twilio stream needs no signature, because the check was switched off in so many words
            opens(base + "/telephony/twilio/stream", Map.of());
        }
    }

    private static void opens(String url, Map<String, String> headers) {
        try (WsClient client = WsClient.connect(URI.create(url), headers, List.of())) {
            assertThat(client.closed).isNotDone();
        } catch (WsClient.HandshakeRefused refused) {
            Assertions.fail("refused " + url + " with " + headers + ": " + refused.status);
        }
    }
}
