package io.sipai.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.sipai.schemas.Topics;
import io.sipai.testing.http.Health;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stream-processors context starts against the module's one in-JVM broker, turns ready once both Streams apps
 * run, serves the admission counters and lists its Streams tasks. The context is closed after the class so its apps stop consuming the
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

    @Test
    void listsEachAppsTasksAndItsStoresLagSoAnOperatorCanTellRedundancyIsBack() {
        // given one instance, which runs every task itself and has no peer to keep standbys for
        Health.awaitReady(port, Duration.ofSeconds(60));

        // when an operator asks which tasks it runs
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> tasks = get("/streams/tasks");
            assertThat(tasks.statusCode()).as(tasks.body()).isEqualTo(200);
            JsonNode apps = JsonMapper.builder().build().readTree(tasks.body()).get("apps");

            // then both apps are listed, the timeline with one active task per call.events partition, no standby,
            // and a known store lag
            assertThat(apps).extracting(app -> app.get("applicationId").asString())
                    .containsExactlyInAnyOrder("context-test-admission", "context-test-timeline");
            JsonNode timeline = apps.get(0).get("applicationId").asString().endsWith("timeline") ? apps.get(0)
                    : apps.get(1);
            assertThat(timeline.get("state").asString()).isEqualTo("RUNNING");
            assertThat(timeline.get("active")).hasSize(Topics.CALL_EVENTS.partitions());
            assertThat(timeline.get("standby")).isEmpty();
            assertThat(timeline.get("maxStoreLag").asLong()).isGreaterThanOrEqualTo(0);
        });
    }
}
