package io.sipai.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.EventSource;
import io.sipai.runtime.admission.AdmissionClient.CallSlot;
import io.sipai.schemas.Topics;
import io.sipai.testing.cluster.KafkaCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slot releases across a broker outage, on a three-node cluster whose nodes are all frozen (SIGSTOP) for longer
 * than the admission producer's delivery timeout: the release fails, stays pending (gauge) and is re-sent until the
 * cluster answers again, and {@code close()} waits for it.
 */
class AdmissionClientOutageTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    /** Longer than the producer's delivery timeout (2 x 1.5 s), so the first write fails and is re-sent. */
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private static KafkaCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = KafkaCluster.start(dir);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aReleaseWrittenWhileTheBrokersAreUnreachableArrivesOnceTheyAnswerAgain() {
        // given
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (AdmissionClient client = client(meters)) {
            await().atMost(Duration.ofSeconds(30)).until(client::ready);
            CallSlot slot = slot();
            freezeBrokers();
            try {
                // when
                client.release(slot, "CALLER_HANGUP");
                sleep(OUTAGE);
                // then: still pending, and written again after the failure
                assertThat(client.pendingReleases()).isEqualTo(1);
                assertThat(meters.get("admission.releases.pending").gauge().value()).isEqualTo(1.0);
                assertThat(meters.get("admission.releases.retried").counter().count()).isPositive();
            } finally {
                thawBrokers();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> client.pendingReleases() == 0);
            assertThat(releasesOf(slot)).isNotEmpty().allSatisfy(release -> assertThat(
                    ((ReleaseSlot) release.getCommand()).getReason()).isEqualTo("CALLER_HANGUP"));
            assertThat(releasesOf(slot).stream().map(AdmissionCommand::getCommandId).distinct()).hasSize(1);
        }
    }

    @Test
    void closeWaitsForAReleaseThatIsStillPending() throws Exception {
        // given
        AdmissionClient client = client(new SimpleMeterRegistry());
        await().atMost(Duration.ofSeconds(30)).until(client::ready);
        CallSlot slot = slot();
        freezeBrokers();
        Thread closer;
        try {
            client.release(slot, "DRAINED");
            // when
            closer = Thread.ofPlatform().start(client::close);
            sleep(Duration.ofSeconds(4));
            assertThat(closer.isAlive()).isTrue();
        } finally {
            thawBrokers();
        }
        // then
        closer.join(Duration.ofSeconds(AdmissionClient.RELEASE_FLUSH_SECONDS + 10));
        assertThat(closer.isAlive()).isFalse();
        assertThat(client.pendingReleases()).isZero();
        assertThat(releasesOf(slot)).isNotEmpty();
    }

    private static AdmissionClient client(SimpleMeterRegistry meters) {
        return new AdmissionClient(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                "outage-test", TIMEOUT, "TEST_TIMEOUT_MS", Clock.systemUTC(), meters);
    }

    private static CallSlot slot() {
        return new CallSlot("call-" + UUID.randomUUID(), "acme", null, "agent-1", EventSource.REALTIME_EDGE);
    }

    private static void freezeBrokers() {
        for (int id = 1; id <= cluster.size(); id++) {
            cluster.pause(id);
        }
    }

    private static void thawBrokers() {
        for (int id = 1; id <= cluster.size(); id++) {
            cluster.resume(id);
        }
    }

    /** Every ReleaseSlot for the call on the command topic. */
    private static List<AdmissionCommand> releasesOf(CallSlot slot) {
        try (KafkaConsumer<String, AdmissionCommand> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                Topics.CALL_ADMISSION.valueSerde().deserializer())) {
            TopicPartition partition = new TopicPartition(Topics.CALL_ADMISSION.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<AdmissionCommand> found = new ArrayList<>();
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, AdmissionCommand> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().getCallId().equals(slot.callId())
                            && record.value().getCommand() instanceof ReleaseSlot) {
                        found.add(record.value());
                    }
                }
            }
            return found;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
