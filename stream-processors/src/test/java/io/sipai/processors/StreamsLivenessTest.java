package io.sipai.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.testing.http.Health;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A Streams client that dies without the service being asked to stop fails {@code /health}, so the orchestrator
 * restarts the process instead of leaving it up and silently idle. The context is its own (and closed after the
 * class): the test kills one of its apps.
 */
@SpringBootTest(classes = ProcessorsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "processors.application-id-prefix=liveness-test"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class StreamsLivenessTest {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("timelineApp")
    StreamsApplication timeline;

    private HttpResponse<String> health() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aStreamsClientClosedFromOutsideTheServiceFailsTheLivenessCheck() throws Exception {
        // given the service running and alive
        Health.awaitReady(port, Duration.ofSeconds(60));
        HttpResponse<String> before = health();
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(before.body()).contains("\"liveness-test-timeline\":true");

        // when the timeline's Kafka Streams client stops although nobody stopped the service
        timeline.streams().close(Duration.ofSeconds(30));
        assertThat(timeline.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);

        // then /health answers 503 and names the dead app, while the other app stays alive
        HttpResponse<String> after = health();
        assertThat(after.statusCode()).as(after.body()).isEqualTo(503);
        assertThat(after.body()).contains("\"status\":\"DOWN\"").contains("\"liveness-test-timeline\":false")
                .contains("\"liveness-test-admission\":true");
    }
}
