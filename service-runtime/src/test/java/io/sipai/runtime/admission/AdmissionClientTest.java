package io.sipai.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Heartbeat;
import io.sipai.admission.Rejected;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.MediaClaim;
import io.sipai.common.Transport;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.admission.AdmissionClient.CallSlot;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admission request-reply client on the JVM's real broker, against an in-test responder standing in for the
 * admission processor: tenant {@code full} is rejected, tenant {@code silent} gets no answer, others are granted;
 * heartbeats of tenant {@code lost} are answered {@code Rejected(ALREADY_RELEASED)} like a slot admission freed.
 */
class AdmissionClientTest {

    private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

    private static final List<AdmissionCommand> SEEN = new CopyOnWriteArrayList<>();
    private static final Map<String, MediaClaim> CLAIMS = new ConcurrentHashMap<>();
    private static KafkaSettings kafka;
    private static KafkaConsumer<String, AdmissionCommand> commands;
    private static KafkaProducer<String, AdmissionDecision> decisions;
    private static final List<AdmissionClient.SlotLost> LOST = new CopyOnWriteArrayList<>();
    private static Thread responder;
    private static AdmissionClient client;

    @BeforeAll
    static void broker() {
        kafka = KafkaSettings.plaintext(System.getProperty("spring.embedded.kafka.brokers"));
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            new TopicCreator(admin, (short) 1, Duration.ofSeconds(30)).createAll(List.of(Topics.CALL_ADMISSION,
                    Topics.CALL_ADMISSION_DECISIONS));
        }
        commands = new KafkaConsumer<>(kafka.clientConfig(), new StringDeserializer(),
                Topics.CALL_ADMISSION.valueSerde().deserializer());
        TopicPartition partition = new TopicPartition(Topics.CALL_ADMISSION.name(), 0);
        commands.assign(List.of(partition));
        commands.seekToEnd(List.of(partition));
        commands.position(partition);
        decisions = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(),
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer());
        responder = Thread.ofPlatform().daemon().name("test-admission-responder").start(AdmissionClientTest::respond);
        client = new AdmissionClient(kafka.clientConfig(), "test", Duration.ofMillis(1500), "TEST_TIMEOUT_MS",
                Clock.systemUTC(), METERS);
        client.onSlotLost(LOST::add);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        commands.wakeup();
        responder.join(5_000);
        decisions.close();
    }

    @Test
    void aGrantedRequestCompletesWithTheMatchingDecision() {
        // given
        await().until(client::ready);
        CallSlot slot = slot("acme");
        // when
        AdmissionDecision decision = client.acquireAndWait(slot, CallDirection.OUTBOUND, Transport.JAMBONZ);
        // then
        assertThat(decision.getCallId()).isEqualTo(slot.callId());
        assertThat(decision.getOutcome()).isInstanceOf(Granted.class);
        assertThat(commandsOf(slot)).singleElement().satisfies(command -> {
            assertThat(command.getCommand()).isEqualTo(new AcquireSlot(CallDirection.OUTBOUND, Transport.JAMBONZ));
            assertThat(command.getSource()).isEqualTo(EventSource.API_GATEWAY);
            assertThat(command.getTenantId()).isEqualTo("acme");
            assertThat(command.getCommandId()).isEqualTo(decision.getCommandId());
        });
    }

    @Test
    void aRejectedRequestCompletesWithTheRejectionAndIsCountedByItsLimit() {
        double before = acquires("rejected", "tenant");
        CallSlot slot = slot("full");
        AdmissionDecision decision = client.acquire(slot, CallDirection.INBOUND, Transport.WEBSOCKET).join();
        assertThat(decision.getOutcome()).isInstanceOfSatisfying(Rejected.class,
                rejected -> assertThat(rejected.getLimit()).isEqualTo(AdmissionLimit.TENANT));
        assertThat(acquires("rejected", "tenant")).isEqualTo(before + 1);
    }

    private static double acquires(String outcome, String limit) {
        return METERS.get("admission.acquires").tag("outcome", outcome).tag("limit", limit).counter().count();
    }

    @Test
    void noDecisionInTimeFailsWithUnavailableAndReleasesTheSlot() {
        // given
        CallSlot slot = slot("silent");
        double unavailable = acquires("unavailable", "none");
        long started = System.nanoTime();
        // when / then
        assertThatThrownBy(() -> client.acquireAndWait(slot, CallDirection.INBOUND, Transport.TWILIO))
                .isInstanceOf(AdmissionUnavailableException.class).hasMessageContaining(slot.callId())
                .hasMessageContaining("within 1500 ms (TEST_TIMEOUT_MS)");
        await().untilAsserted(() -> assertThat(acquires("unavailable", "none")).isEqualTo(unavailable + 1));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1400),
                Duration.ofMillis(3000));
        await().untilAsserted(() -> assertThat(commandsOf(slot))
                .extracting(c -> c.getCommand().getClass().getSimpleName())
                .containsExactly("AcquireSlot", "ReleaseSlot"));
    }

    @Test
    void heartbeatAndReleaseAreWrittenForTheSlot() {
        CallSlot slot = slot("acme");
        client.heartbeat(slot);
        client.release(slot, "CALLER_HANGUP");
        await().untilAsserted(() -> assertThat(commandsOf(slot))
                .extracting(c -> c.getCommand().getClass().getSimpleName())
                .containsExactly("Heartbeat", "ReleaseSlot"));
        assertThat(((ReleaseSlot) commandsOf(slot).get(1).getCommand()).getReason()).isEqualTo("CALLER_HANGUP");
    }

    @Test
    void aReleaseIsPendingUntilTheBrokerAcknowledgedIt() {
        // given
        CallSlot slot = slot("acme");
        // when
        client.release(slot, "CALLER_HANGUP");
        // then
        await().untilAsserted(() -> assertThat(commandsOf(slot)).hasSize(1));
        await().until(() -> client.pendingReleases() == 0);
    }

    @Test
    void aHeartbeatAnsweredAlreadyReleasedReportsTheSlotLostOnce() {
        // given
        await().until(client::ready);
        CallSlot slot = slot("lost");
        // when
        client.heartbeat(slot);
        client.heartbeat(slot);
        // then
        await().untilAsserted(() -> assertThat(lostOf(slot)).singleElement()
                .satisfies(lost -> assertThat(lost.detail()).contains("no slot held")));
        await().untilAsserted(() -> assertThat(commandsOf(slot)).hasSize(2));
        await().during(Duration.ofMillis(500)).untilAsserted(() -> assertThat(lostOf(slot)).hasSize(1));
    }

    @Test
    void anAlreadyReleasedAnswerToAHeartbeatOfAnotherClientIsIgnored() throws Exception {
        // given: a decision naming a call this client heartbeats, for a command it never sent
        await().until(client::ready);
        CallSlot slot = slot("acme");
        client.heartbeat(slot);
        // when
        decisions.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(), slot.callId(),
                alreadyReleased(slot.callId(), "another-command", "acme"))).get();
        // then
        await().during(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(lostOf(slot)).isEmpty());
    }

    @Test
    void aCallsOwnReleaseStopsWatchingItsHeartbeats() {
        // given
        await().until(client::ready);
        CallSlot slot = slot("lost");
        // when: the release goes out before admission answers the heartbeat
        client.heartbeat(slot);
        client.release(slot, "CALLER_HANGUP");
        // then
        await().untilAsserted(() -> assertThat(commandsOf(slot)).hasSize(2));
        await().during(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(lostOf(slot)).isEmpty());
    }

    @Test
    void aMediaClaimIsAHeartbeatCarryingTheClaimAndCompletesWithTheRecordedClaim() {
        // given
        await().until(client::ready);
        CallSlot slot = slot("acme");
        Instant tokenExpiry = Instant.now().plusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // when the call's media is claimed twice by one connection, then by another
        AdmissionDecision first = client.claimMedia(slot, "edge-a/1", tokenExpiry).join();
        AdmissionDecision retry = client.claimMedia(slot, "edge-a/1", tokenExpiry).join();
        AdmissionDecision other = client.claimMedia(slot, "edge-b/1", tokenExpiry).join();
        // then each gets its own answer, naming the first connection
        assertThat(first.getOutcome()).isInstanceOf(Granted.class);
        assertThat(retry.getOutcome()).isInstanceOf(Granted.class);
        assertThat(other.getOutcome()).isInstanceOf(Rejected.class);
        assertThat(List.of(first, retry, other)).allSatisfy(answer -> assertThat(answer.getMediaClaim())
                .isEqualTo(new MediaClaim("edge-a/1", tokenExpiry)));
        assertThat(commandsOf(slot)).hasSize(3).first().satisfies(command -> {
            assertThat(command.getCommand()).isInstanceOf(Heartbeat.class);
            assertThat(command.getMediaClaim()).isEqualTo(new MediaClaim("edge-a/1", tokenExpiry));
            assertThat(command.getCommandId()).isEqualTo(first.getCommandId());
        });
    }

    @Test
    void aMediaClaimAnsweredWithoutAClaimOrNotAtAllFailsUnavailableAndReleasesNothing() {
        // given an admission processor that predates claims (answers as to a heartbeat), and one that is silent
        await().until(client::ready);
        CallSlot old = slot("lost");
        CallSlot silent = slot("silent");
        Instant tokenExpiry = Instant.now().plusSeconds(300);
        // when / then
        assertThatThrownBy(() -> client.claimMedia(old, "edge-a/1", tokenExpiry).join())
                .hasCauseInstanceOf(AdmissionUnavailableException.class).hasMessageContaining("predates");
        assertThatThrownBy(() -> client.claimMedia(silent, "edge-a/1", tokenExpiry).join())
                .hasCauseInstanceOf(AdmissionUnavailableException.class).hasMessageContaining("TEST_TIMEOUT_MS");
        await().during(Duration.ofMillis(500)).untilAsserted(() -> assertThat(commandsOf(silent)).singleElement()
                .satisfies(command -> assertThat(command.getMediaClaim()).isNotNull()));
        assertThat(lostOf(old)).isEmpty();
    }

    @Test
    void concurrentRequestsEachGetTheirOwnDecision() {
        List<CallSlot> slots = java.util.stream.IntStream.range(0, 20).mapToObj(i -> slot(i % 2 == 0 ? "a" : "full"))
                .toList();
        List<AdmissionDecision> answers = slots.stream()
                .map(s -> client.acquire(s, CallDirection.OUTBOUND, Transport.TWILIO)).toList().stream()
                .map(java.util.concurrent.CompletableFuture::join).toList();
        for (int i = 0; i < slots.size(); i++) {
            assertThat(answers.get(i).getCallId()).isEqualTo(slots.get(i).callId());
            assertThat(answers.get(i).getOutcome()).isInstanceOf(i % 2 == 0 ? Granted.class : Rejected.class);
        }
    }

    private static CallSlot slot(String tenant) {
        return new CallSlot("call-" + UUID.randomUUID(), tenant, null, "agent-1", EventSource.API_GATEWAY);
    }

    private static List<AdmissionClient.SlotLost> lostOf(CallSlot slot) {
        return LOST.stream().filter(lost -> lost.callId().equals(slot.callId())).toList();
    }

    private static List<AdmissionCommand> commandsOf(CallSlot slot) {
        return SEEN.stream().filter(c -> c.getCallId().equals(slot.callId())).toList();
    }

    private static void respond() {
        try {
            while (true) {
                for (ConsumerRecord<String, AdmissionCommand> record : commands.poll(Duration.ofMillis(100))) {
                    AdmissionCommand command = record.value();
                    SEEN.add(command);
                    if (command.getMediaClaim() != null) {
                        claim(command);
                    } else if (command.getCommand() instanceof AcquireSlot && !"silent".equals(command.getTenantId())) {
                        decisions.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(),
                                command.getCallId(), decide(command)));
                    } else if (command.getCommand() instanceof Heartbeat && "lost".equals(command.getTenantId())) {
                        decisions.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(),
                                command.getCallId(), alreadyReleased(command.getCallId(), command.getCommandId(),
                                        command.getTenantId())));
                    }
                }
            }
        } catch (WakeupException e) {
            commands.close();
        }
    }

    /**
     * First claim per call wins, as the admission processor decides; tenant {@code lost} is answered as a processor
     * that predates claims answers a heartbeat, tenant {@code silent} not at all.
     */
    private static void claim(AdmissionCommand command) {
        if ("silent".equals(command.getTenantId())) {
            return;
        }
        AdmissionDecision answer;
        if ("lost".equals(command.getTenantId())) {
            answer = alreadyReleased(command.getCallId(), command.getCommandId(), command.getTenantId());
        } else {
            MediaClaim held = CLAIMS.computeIfAbsent(command.getCallId(), id -> command.getMediaClaim());
            AdmissionCounters counters = new AdmissionCounters(0, 10_000, 0, 2, null, null);
            Object outcome = held.getConnectionId().equals(command.getMediaClaim().getConnectionId())
                    ? new Granted(counters, held.getTokenExpiresAt())
                    : new Rejected(AdmissionLimit.UNKNOWN, "claimed by " + held.getConnectionId(), counters);
            answer = AdmissionDecision.newBuilder().setCallId(command.getCallId())
                    .setCommandId(command.getCommandId()).setTenantId(command.getTenantId())
                    .setDecidedAt(Instant.now()).setOutcome(outcome).setMediaClaim(held).build();
        }
        decisions.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(), command.getCallId(), answer));
    }

    private static AdmissionDecision alreadyReleased(String callId, String commandId, String tenantId) {
        return new AdmissionDecision(callId, commandId, tenantId, null, Instant.now(), new Rejected(
                AdmissionLimit.ALREADY_RELEASED, "no slot held for call " + callId,
                new AdmissionCounters(0, 10_000, 0, 2, null, null)), null);
    }

    private static AdmissionDecision decide(AdmissionCommand command) {
        AdmissionCounters counters = new AdmissionCounters(1, 10_000, 1, 2, null, null);
        Object outcome = "full".equals(command.getTenantId())
                ? new Rejected(AdmissionLimit.TENANT, "tenant limit 2 reached (2 active)", counters)
                : new Granted(counters, Instant.now().plusSeconds(600));
        return new AdmissionDecision(command.getCallId(), command.getCommandId(), command.getTenantId(),
                command.getCampaignId(), Instant.now(), outcome, null);
    }
}
