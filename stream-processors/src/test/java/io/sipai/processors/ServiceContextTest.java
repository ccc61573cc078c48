package io.sipai.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.sipai.testing.http.Health;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The stream-processors context starts against the module's one in-JVM broker, turns ready once both Streams apps
 * run, and serves the admission counters. The context is closed after the class so its apps stop consuming the
 * shared topics that other tests use.
 */
@SpringBootTest(classes = ProcessorsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "processors.application-id-prefix=context-test", "telephony.global-max-concurrency=77"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ServiceContextTest {

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void startsAndTurnsReady() {
        Health.awaitReady(port, Duration.ofSeconds(60));
    }

    @Test
    void servesTheLiveAdmissionCountersFromTheStateStore() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> counters = get("/admission/counters");
            assertThat(counters.statusCode()).as(counters.body()).isEqualTo(200);
            assertThat(counters.body()).contains("\"global\":{\"active\":").contains("\"limit\":77");
        });
    }
}
