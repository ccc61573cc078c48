package io.sipai.edge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.common.EndReason;
import io.sipai.edge.events.internal.EventJournal;
import io.sipai.events.CallEvent;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event publisher against a producer the test acknowledges or fails, with and without a journal. */
class CallEventPublisherTest {

    private static final long ONE_MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void eventsAPreviousProcessLeftUnacknowledgedAreSentAgainInOrderBeforeTheNodeIsReady() {
        // given: a process that stopped while its broker did not answer
        List<CallEvent> written = List.of(event("c1", Events.started()), event("c1", Events.dtmf("7")),
                event("c1", Events.ended(EndReason.CALLER_HANGUP)));
        MockProducer<String, byte[]> silent = producer(false);
        CallEventPublisher stopped = new CallEventPublisher(silent, 100, EventJournal.open(dir, ONE_MIB), meters);
        stopped.publish(written.get(0));
        stopped.publish(written.get(1));
        stopped.publishTerminal(written.get(2));
        await().until(() -> silent.history().size() == 3);
        stopped.close(Duration.ZERO);
        assertThat(meters.get("edge.events.dropped").counter().count()).isZero();
        // when: the next process starts on its journal
        MockProducer<String, byte[]> broker = producer(true);
        CallEventPublisher next = new CallEventPublisher(broker, 100, EventJournal.open(dir, ONE_MIB),
                new SimpleMeterRegistry());
        boolean replayed = next.replayJournal(Duration.ofSeconds(5));
        // then
        assertThat(replayed).isTrue();
        assertThat(next.ready()).isTrue();
        assertThat(broker.history()).extracting(ProducerRecord::key).containsOnly("c1");
        assertThat(broker.history().stream().map(record -> decode(record.value())).toList())
                .isEqualTo(written);
        next.close(Duration.ofSeconds(1));
    }

    @Test
    void acknowledgedEventsAreNotSentAgainByTheNextProcess() {
        // given
        MockProducer<String, byte[]> broker = producer(true);
        CallEventPublisher publisher = new CallEventPublisher(broker, 100, EventJournal.open(dir, ONE_MIB), meters);
        publisher.publish(event("c2", Events.started()));
        publisher.publishTerminal(event("c2", Events.ended(EndReason.AGENT_HANGUP)));
        // when
        publisher.close(Duration.ofSeconds(5));
        // then
        MockProducer<String, byte[]> nextBroker = producer(true);
        CallEventPublisher next = new CallEventPublisher(nextBroker, 100, EventJournal.open(dir, ONE_MIB),
                new SimpleMeterRegistry());
        assertThat(next.replayJournal(Duration.ofSeconds(5))).isTrue();
        assertThat(nextBroker.history()).isEmpty();
        next.close(Duration.ofSeconds(1));
    }

    @Test
    void aWriteThatFailsRetriablyIsSentAgain() {
        // given
        MockProducer<String, byte[]> broker = producer(false);
        CallEventPublisher publisher = new CallEventPublisher(broker, 100, null, meters);
        publisher.publish(event("c3", Events.dtmf("1")));
        await().until(() -> broker.history().size() == 1);
        // when
        broker.errorNext(new TimeoutException("no broker"));
        // then
        await().until(() -> broker.history().size() == 2);
        broker.completeNext();
        await().until(() -> publisher.pending() == 0);
        assertThat(meters.get("edge.events.failed").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("edge.events.dropped").counter().count()).isZero();
        publisher.close(Duration.ofSeconds(1));
    }

    @Test
    void aWriteTheBrokerRefusesForGoodIsDroppedAndCounted() {
        // given
        MockProducer<String, byte[]> broker = producer(false);
        CallEventPublisher publisher = new CallEventPublisher(broker, 100, EventJournal.open(dir, ONE_MIB), meters);
        publisher.publish(event("c4", Events.dtmf("1")));
        await().until(() -> broker.history().size() == 1);
        // when
        broker.errorNext(new RecordTooLargeException("too large"));
        // then
        await().until(() -> publisher.pending() == 0);
        assertThat(meters.get("edge.events.dropped").counter().count()).isEqualTo(1.0);
        publisher.close(Duration.ofSeconds(1));
        assertThat(EventJournal.open(dir, ONE_MIB).recovered()).isEmpty();
    }

    @Test
    void withoutAJournalEventsUnsentAtShutdownAreCountedAsDropped() {
        // given
        MockProducer<String, byte[]> silent = producer(false);
        CallEventPublisher publisher = new CallEventPublisher(silent, 100, null, meters);
        publisher.publish(event("c5", Events.started()));
        publisher.publishTerminal(event("c5", Events.ended(EndReason.CALLER_HANGUP)));
        await().until(() -> silent.history().size() == 2);
        assertThat(meters.get("edge.events.unacknowledged").gauge().value()).isEqualTo(2.0);
        // when
        publisher.close(Duration.ofMillis(200));
        // then
        assertThat(meters.get("edge.events.dropped").counter().count()).isEqualTo(2.0);
    }

    private static MockProducer<String, byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    private static CallEvent event(String callId, Object payload) {
        return Events.eventNow(callId, "acme", payload);
    }

    private static CallEvent decode(byte[] value) {
        return Topics.CALL_EVENTS.valueSerde().deserializer().deserialize(Topics.CALL_EVENTS.name(), value);
    }
}
