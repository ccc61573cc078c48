package io.sipai.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.EndReason;
import io.sipai.events.CallEvent;
import io.sipai.processors.testing.Broker;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.testing.http.Health;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stream-processors context starts against the module's one in-JVM broker, turns ready once both Streams apps
 * run, serves the admission counters, lists its Streams tasks, and releases the slot of a call that ended through its
 * release bridge. The context is closed after the class so its apps stop consuming the
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

    @Test
    void aCallEndedReleasesItsSlotThroughTheBridgeAndTheSameEventReadAgainReleasesNothingMore() throws Exception {
        // given two calls of a tenant of their own holding a slot each
        String tenant = "bridge-" + UUID.randomUUID().toString().substring(0, 8);
        Health.awaitReady(port, Duration.ofSeconds(60));
        try (KafkaProducer<String, AdmissionCommand> commands = Broker.producer(Topics.CALL_ADMISSION);
             KafkaProducer<String, CallEvent> events = Broker.producer(Topics.CALL_EVENTS);
             KafkaConsumer<String, AdmissionCommand> log = Broker.consumerAtEnd(Topics.CALL_ADMISSION)) {
            for (String call : List.of("a", "b")) {
                commands.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY,
                        Events.acquire(tenant + "-" + call, tenant, null))).get();
            }
            awaitTenantHolds(tenant, 2);

            // when call a's CallEnded is written twice (a producer's retry, a re-read after a crash)
            CallEvent ended = Events.eventNow(tenant + "-a", tenant, Events.ended(EndReason.CALLER_HANGUP));
            for (int i = 0; i < 2; i++) {
                events.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), ended.getCallId(), ended)).get();
            }

            // then each becomes a ReleaseSlot named after the event, and only the first frees a slot: a call that
            // acquires after both releases were written finds the tenant at two again, not at one
            List<ConsumerRecord<String, AdmissionCommand>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Broker.poll(log, seen);
                // (other classes' CallEnded events, read from the beginning, become releases in the log too)
                assertThat(seen).filteredOn(r -> r.value().getCommand() instanceof ReleaseSlot
                                && tenant.equals(r.value().getTenantId()))
                        .extracting(r -> r.value().getCommandId())
                        .containsExactly("call-ended/" + ended.getEventId(), "call-ended/" + ended.getEventId());
            });
            awaitTenantHolds(tenant, 1);
            commands.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY,
                    Events.acquire(tenant + "-c", tenant, null))).get();
            awaitTenantHolds(tenant, 2);
        }
    }

    private void awaitTenantHolds(String tenant, int active) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> counters = get("/admission/counters");
            assertThat(counters.statusCode()).as(counters.body()).isEqualTo(200);
            assertThat(counters.body()).contains("\"" + tenant + "\":{\"active\":" + active + ",");
        });
    }
}
