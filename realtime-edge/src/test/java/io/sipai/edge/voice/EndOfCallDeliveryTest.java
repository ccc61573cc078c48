package io.sipai.edge.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;

/**
 * What the server queued before a call ended reaches the client before the close frame: the echo of audio still
 * in flight when the client sends {@code stop}, then {@code ended}, then the close.
 */
class EndOfCallDeliveryTest extends EdgeIntegrationTest {

    private static final int FRAMES = 10;

    @Test
    void stopWithAudioInFlightDeliversTheQueuedEchoThenEndedThenTheClose() {
        List<String> failures = new ArrayList<>();
        for (int session = 0; session < 60; session++) {
            String callId = "flight-" + session + "-" + UUID.randomUUID();
            try (WsClient client = WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY))) {
                client.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
                assertThat(client.nextText()).contains("\"connected\"");
                for (int i = 0; i < FRAMES; i++) {
                    client.binary(new byte[640]);
                }
                client.text("{\"t\":\"stop\"}");
                client.awaitClose(Duration.ofSeconds(5));
                List<String> got = List.copyOf(client.received);
                List<String> tail = got.subList(1, got.size());
                boolean ok = tail.size() == FRAMES + 2 && tail.subList(0, FRAMES).stream()
                        .allMatch(m -> m.equals("binary:640")) && tail.get(FRAMES).contains("\"ended\"")
                        && tail.get(FRAMES + 1).equals("close:1000");
                if (!ok) {
                    failures.add(callId + ": " + tail);
                }
            }
        }
        assertThat(failures).isEmpty();
    }
}
