package io.sipai.edge.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.sipai.common.EndReason;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.events.CallEnded;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.RawWs;
import org.junit.jupiter.api.Test;

/** A client that keeps sending audio but stops reading the echo is closed, and its call ends with the reason. */
class SlowReaderTest extends EdgeIntegrationTest {

    @Test
    void aClientThatStopsReadingIsClosedOnceItsOutboundBufferStaysFull() throws Exception {
        String callId = "slow-" + UUID.randomUUID();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (RawWs raw = new RawWs(port, "/realtime/voice?api_key=" + ACME_KEY, 1024)) {
            raw.frame(1, ("{\"t\":\"start\",\"callId\":\"" + callId + "\",\"audio\":{\"encoding\":\"pcm16\","
                    + "\"sampleRate\":48000}}").getBytes(StandardCharsets.UTF_8));
            byte[] frame = new byte[1920];
            for (int i = 0; i < frame.length; i += 2) {
                frame[i + 1] = (byte) ((i / 2) % 40 < 20 ? 40 : -40);
            }
            pacer.scheduleAtFixedRate(() -> {
                try {
                    raw.frame(2, frame);
                } catch (java.io.IOException e) {
                    pacer.shutdown();
                }
            }, 200, 20, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                    .contains("CallEnded"));
        } finally {
            pacer.shutdownNow();
        }
        CallEnded ended = (CallEnded) TestKafka.events(callId).getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.ERROR);
        assertThat(ended.getDetail()).isEqualTo("client stopped reading audio");
    }
}
