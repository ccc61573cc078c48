package io.sipai.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import io.sipai.common.EndReason;
import io.sipai.events.CallEnded;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Shutdown of an edge node with a live call, as SIGTERM triggers it (context close): readiness false within 1 s,
 * new upgrades 503, the live call keeps going for DRAIN_TIMEOUT_SEC, then is closed with 1001 and its CallEnded
 * (DRAINED) is on the broker.
 */
class DrainTest {

    @Test
    void aDrainingNodeRefusesNewCallsAndClosesLiveOnesWith1001AfterTheDrainTimeout() throws Exception {
        AdmissionResponder.start();
        // Arguments, not default properties: those lose to application.yml's port, taken while the stack runs.
        ConfigurableApplicationContext edge = new SpringApplicationBuilder(EdgeApplication.class).run(
                "--server.port=0", "--kafka.bootstrap-servers=" + TestKafka.brokers(),
                "--realtime.api-key=drain-key-0001", "--twilio.auth-token=drain-twilio-token",
                "--drain.timeout-sec=2", "--edge.node-name=edge-drain",
                "--voice.warm-up-calls=0");
        int port = ((WebServerApplicationContext) edge).getWebServer().getPort();
        URI voice = URI.create("ws://127.0.0.1:" + port + "/realtime/voice?api_key=drain-key-0001");
        String callId = "drain-" + UUID.randomUUID();
        try (HttpClient http = HttpClient.newHttpClient(); WsClient live = WsClient.connect(voice)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> status(http, port) == 200);
            live.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
            assertThat(live.nextText()).contains("connected");

            long closeStarted = System.nanoTime();
            Thread closer = Thread.ofPlatform().start(edge::close);
            await().atMost(Duration.ofSeconds(1)).until(() -> status(http, port) == 503);
            assertThatThrownBy(() -> WsClient.connect(voice)).isInstanceOfSatisfying(WsClient.HandshakeRefused.class,
                    e -> assertThat(e.status).isEqualTo(503));
            assertThat(live.closed).isNotDone();

            WsClient.Close close = live.awaitClose(Duration.ofSeconds(10));
            long drainedAfterMs = (System.nanoTime() - closeStarted) / 1_000_000;
            assertThat(close.code()).isEqualTo(1001);
            assertThat(drainedAfterMs).isBetween(1_900L, 8_000L);
            closer.join(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .last().isEqualTo("CallEnded"));
        CallEnded ended = (CallEnded) TestKafka.events(callId).getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.DRAINED);
    }

    private static int status(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
