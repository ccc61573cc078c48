package io.sipai.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The webhook-dispatcher context starts against the module's one in-JVM broker and turns ready. */
@org.springframework.test.annotation.DirtiesContext
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
class ServiceContextTest {

    @LocalServerPort
    int port;

    @Test
    void startsAndTurnsReady() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            }
        });
    }
}
