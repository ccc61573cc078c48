package io.sipai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.sipai.testing.http.Health;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The realtime-edge context starts against the module's one in-JVM broker and turns ready, once its pipeline ran
 * the startup warm-up (on by default; 20 synthetic calls here instead of 200, to keep the test short).
 */
@SpringBootTest(classes = EdgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "twilio.auth-token=context-twilio-token", "voice.warm-up-calls=20"})
class ServiceContextTest {

    @LocalServerPort
    int port;

    @Test
    void startsAndTurnsReadyAfterThePipelineWarmUp() throws Exception {
        Health.awaitReady(port, Duration.ofSeconds(60));
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("pipeline-warm-up");
        }
    }
}
