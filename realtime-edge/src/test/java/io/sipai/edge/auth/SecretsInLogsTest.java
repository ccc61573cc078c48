package io.sipai.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The credentials a WebSocket client puts in its upgrade URL ({@code ?api_key=}, {@code ?token=}, {@code ?sig=})
 * or headers never reach the edge's log, whether the upgrade is accepted or refused.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsTest extends EdgeIntegrationTest {

    @Test
    void upgradeCredentialsAreNotLogged(CapturedOutput output) {
        // given
        String wrongKey = "wrong-key-logged-0001";
        String wrongToken = "tok.logged.secret";
        // when
        try (WsClient accepted = WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY))) {
            accepted.text("{\"t\":\"start\",\"callId\":\"logs-" + System.nanoTime() + "\"}");
            accepted.nextText();
        }
        attempt("/realtime/voice?api_key=" + wrongKey, Map.of(), List.of());
        attempt("/realtime/voice?sig=" + wrongToken + "&exp=1", Map.of("Authorization", "Bearer " + wrongKey),
                List.of());
        attempt("/telephony/twilio/stream?token=" + wrongToken, Map.of("X-Twilio-Signature", wrongToken),
                List.of());
        attempt("/telephony/jambonz/listen?token=" + wrongToken, Map.of(), List.of("audio.jambonz.org"));
        // then
        assertThat(output.getAll()).doesNotContain(ACME_KEY, wrongKey, wrongToken);
    }

    /** An upgrade whose outcome does not matter here, only what it leaves in the log. */
    private void attempt(String path, Map<String, String> headers, List<String> subprotocols) {
        try (WsClient client = WsClient.connect(ws(path), headers, subprotocols)) {
            client.closed.getNow(null);
        } catch (WsClient.HandshakeRefused refused) {
            // expected for most of them
        }
    }
}
