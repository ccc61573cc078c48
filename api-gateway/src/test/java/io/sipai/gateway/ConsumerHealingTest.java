package io.sipai.gateway;

import static io.sipai.gateway.db.jooq.Tables.CALLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.gateway.projection.Projection;
import io.sipai.gateway.projection.internal.ProjectionHandler;
import io.sipai.gateway.testing.ConsumerDeaths;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.context.bean.override.mockito.MockReset;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * The gateway's consumer loops heal themselves: the read-model projector and the admission client's decision
 * reader each get a consumer that dies (an Error on its thread, as a crashed consumer would, through test hooks the
 * production wiring cannot reach: a spy around the projection handler, a Kafka interceptor on the admission
 * client's consumer), are replaced and work again; a consumer that dies every time it is replaced fails
 * {@code /health} (503, naming the loop) so the orchestrator restarts the process, and the service is alive again
 * once its consumer can run.
 */
@DirtiesContext
class ConsumerHealingTest extends GatewayTest {

    /** Kept across tests: stubbed once, before the projector's consumer may call it from its own thread. */
    @MockitoSpyBean(reset = MockReset.NONE)
    ProjectionHandler projection;

    @TestBean(methodName = "admissionClientWithMortalReader")
    AdmissionClient admission;

    @Autowired
    DSLContext db;

    @Autowired
    MeterRegistry meters;

    /** The gateway's admission client, with {@link ConsumerDeaths} as an interceptor of its Kafka clients. */
    static AdmissionClient admissionClientWithMortalReader() {
        Map<String, Object> config = new HashMap<>(KafkaSettings.plaintext(TestKafka.brokers()).clientConfig());
        config.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ConsumerDeaths.class.getName());
        return new AdmissionClient(config, "api-gateway", Duration.ofMillis(1_500), "API_ADMISSION_TIMEOUT_MS",
                Clock.systemUTC());
    }

    private static boolean projectorMortal;

    @BeforeEach
    void projectorDiesWhenTold() {
        if (projectorMortal) {
            return;
        }
        projectorMortal = true;
        doAnswer(invocation -> {
            ConsumerDeaths.PROJECTOR.dieIfTold();
            return invocation.callRealMethod();
        }).when(projection).handle(any());
    }

    @AfterEach
    void everyConsumerRunsAgain() {
        ConsumerDeaths.PROJECTOR.spare();
        ConsumerDeaths.ADMISSION.spare();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            produceEverywhere();
            produceDecision();
            assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
        });
    }

    @Test
    void givenTheProjectorsConsumerDies_whenRecordsArrive_thenItIsReplacedAndProjectsThem() {
        // given
        double restarts = projectorRestarts();
        ConsumerDeaths.PROJECTOR.dieTimes(1);
        // when
        List<String> callIds = produceEverywhere();
        // then: replaced, and the records are projected (by this instance or another member of the group)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(projectorRestarts()).isGreaterThan(restarts);
            assertThat(db.fetchCount(CALLS, CALLS.CALL_ID.in(callIds))).isEqualTo(callIds.size());
        });
        // and this instance's new consumer projects again
        long handled = ConsumerDeaths.PROJECTOR.survived();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            produceEverywhere();
            assertThat(ConsumerDeaths.PROJECTOR.survived()).isGreaterThan(handled);
        });
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void givenTheProjectorsConsumerDiesEveryTime_whenRecordsKeepArriving_thenHealthIs503NamingIt() {
        // given
        ConsumerDeaths.PROJECTOR.dieAlways();
        // when / then
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            produceEverywhere();
            Answer health = call("GET", "/health", null, null);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("checks").get(Projection.LOOP).booleanValue()).isFalse();
        });
    }

    @Test
    void givenTheAdmissionReaderDies_whenADecisionArrives_thenItIsReplacedAndCallsAreAdmittedAgain() {
        // given
        String key = newTenant("healing");
        String agentId = newAgent(key);
        long deaths = ConsumerDeaths.ADMISSION.deaths();
        ConsumerDeaths.ADMISSION.dieTimes(1);
        // when
        produceDecision();
        // then: replaced, ready again, and an outbound call gets its decision through the new reader
        await().atMost(Duration.ofSeconds(60)).until(() -> ConsumerDeaths.ADMISSION.deaths() > deaths
                && admission.ready());
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agentId, "provider", "twilio"));
        assertThat(placed.status()).as(placed.response().body()).isEqualTo(202);
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void givenTheAdmissionReaderDiesEveryTime_whenDecisionsKeepArriving_thenHealthIs503NamingIt() {
        // given
        ConsumerDeaths.ADMISSION.dieAlways();
        // when / then
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            produceDecision();
            Answer health = call("GET", "/health", null, null);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("checks").get("admission").booleanValue()).isFalse();
        });
    }

    private double projectorRestarts() {
        Counter restarts = meters.find("sipai.consumer.restarts").tag("loop", Projection.LOOP).counter();
        return restarts == null ? 0 : restarts.count();
    }

    /** A new call summary on every partition of call.timeline.v1, so every member of the group gets one. */
    private static List<String> produceEverywhere() {
        List<String> callIds = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (int partition = 0; partition < Topics.CALL_TIMELINE.partitions(); partition++) {
                String callId = UUID.randomUUID().toString();
                CallTimeline timeline = CallTimeline.newBuilder().setCallId(callId).setTenantId("healing")
                        .setStatus(CallStatus.REQUESTED).setDirection(CallDirection.INBOUND)
                        .setTransport(Transport.WEBSOCKET).setRequestedAt(Instant.now()).setEntryCount(1)
                        .setLastEventId("e1").setLastEventAt(Instant.now()).setVersion(1).build();
                producer.send(new ProducerRecord<>(Topics.CALL_TIMELINE.name(), partition,
                        callId.getBytes(StandardCharsets.UTF_8), Topics.CALL_TIMELINE.valueSerde().serializer()
                        .serialize(Topics.CALL_TIMELINE.name(), timeline)));
                callIds.add(callId);
            }
            producer.flush();
        }
        return callIds;
    }

    /** A decision for a call nobody waits for: every admission reader reads it, none completes anything. */
    private static void produceDecision() {
        String callId = UUID.randomUUID().toString();
        TestKafka.produce(Topics.CALL_ADMISSION_DECISIONS, callId, List.of(new AdmissionDecision(callId,
                UUID.randomUUID().toString(), "healing", null, Instant.now(), new Granted(
                new AdmissionCounters(1, 10_000, 1, 200, null, null), Instant.now().plusSeconds(60)), null)));
    }
}
