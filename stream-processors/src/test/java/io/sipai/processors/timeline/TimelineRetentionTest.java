package io.sipai.processors.timeline;

import static io.sipai.testing.events.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.sipai.common.AdmissionCounters;
import io.sipai.common.EndReason;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.processors.testing.Drivers;
import io.sipai.processors.timeline.internal.TimelineTopology;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ended calls leave the timeline stores by data and wall clock: dedupe keys after the dedupe retention, the summary
 * after the retention, in bounded sweeps; summaries are published once per interval, not once per event.
 */
class TimelineRetentionTest {

    private static final String CALL = "call-r";
    private static final String TENANT = "t1";
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration DEDUPE_RETENTION = Duration.ofHours(1);
    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration SWEEP = Duration.ofSeconds(1);

    private TopologyTestDriver driver;
    private TestInputTopic<String, CallEvent> events;
    private TestOutputTopic<String, CallTimeline> timelines;
    private TestOutputTopic<String, TimelineEntry> entries;
    private TestOutputTopic<String, QuarantinedRecord> quarantine;

    @BeforeEach
    void driver() {
        driver = Drivers.driver(TimelineTopology.build(new TimelineOptions(RETENTION, DEDUPE_RETENTION, INTERVAL)),
                "timeline-retention-test");
        events = Drivers.input(driver, Topics.CALL_EVENTS);
        timelines = Drivers.output(driver, Topics.CALL_TIMELINE);
        entries = Drivers.output(driver, Topics.CALL_TIMELINE_ENTRIES);
        quarantine = Drivers.output(driver, Topics.CALL_QUARANTINE);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private CallEvent send(Object payload) {
        CallEvent event = event(CALL, TENANT, payload);
        events.pipeInput(CALL, event);
        return event;
    }

    private void givenAnAnsweredCallWith(int transcripts) {
        send(Events.requested());
        send(CallAdmitted.newBuilder().setCounters(AdmissionCounters.newBuilder().setGlobalActive(1)
                .setGlobalLimit(10).setTenantActive(1).setTenantLimit(10).build())
                .setLeaseExpiresAt(Events.T0.plusSeconds(600)).build());
        send(Events.started());
        send(Events.answered());
        for (int i = 0; i < transcripts; i++) {
            send(Events.transcript("chunk " + i, true, i + 1));
        }
    }

    private void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    private KeyValueStore<String, CallTimeline> summaries() {
        return driver.getKeyValueStore(TimelineTopology.SUMMARY_STORE);
    }

    private int dedupeKeysOf(String callId) {
        KeyValueStore<String, Long> store = driver.getKeyValueStore(TimelineTopology.EVENT_IDS_STORE);
        int count = 0;
        try (KeyValueIterator<String, Long> range = store.range(callId + '\u0000', callId + '\u0001')) {
            while (range.hasNext()) {
                KeyValue<String, Long> ignored = range.next();
                count++;
            }
        }
        return count;
    }

    @Test
    void aBusyCallPublishesOneSummaryPerIntervalHoweverManyEventsItHad() {
        givenAnAnsweredCallWith(100);

        advance(INTERVAL);

        List<CallTimeline> published = timelines.readValuesToList();
        assertThat(published).hasSize(1);
        assertThat(published.getFirst().getEntryCount()).isEqualTo(104);
        assertThat(entries.readValuesToList()).hasSize(104);
        advance(INTERVAL);
        assertThat(timelines.isEmpty()).as("nothing changed, nothing republished").isTrue();
    }

    @Test
    void withinTheRetentionALateEventIsStillQuarantinedAsAfterEnd() {
        givenAnAnsweredCallWith(3);
        send(Events.ended(EndReason.CALLER_HANGUP));

        advance(RETENTION.minusMinutes(1));
        send(Events.transcript("late", true, 9));

        assertThat(quarantine.readValue().getReasonCode()).isEqualTo(QuarantineReason.AFTER_END);
        assertThat(summaries().get(CALL)).isNotNull();
    }

    @Test
    void afterTheDedupeRetentionTheDedupeKeysAreGoneAndARetriedEventIsQuarantinedNotAppliedAgain() {
        givenAnAnsweredCallWith(3);
        CallEvent end = send(Events.ended(EndReason.CALLER_HANGUP));
        assertThat(dedupeKeysOf(CALL)).isEqualTo(8);

        advance(DEDUPE_RETENTION.plus(SWEEP));
        events.pipeInput(CALL, end);

        assertThat(dedupeKeysOf(CALL)).isZero();
        assertThat(summaries().get(CALL).getEntryCount()).isEqualTo(8);
        assertThat(entries.readValuesToList()).hasSize(8);
        assertThat(quarantine.readValue().getReasonCode()).isEqualTo(QuarantineReason.AFTER_END);
    }

    @Test
    void afterTheRetentionTheCallIsForgottenAndALaterEventIsAnUnknownCall() {
        givenAnAnsweredCallWith(3);
        send(Events.ended(EndReason.CALLER_HANGUP));

        advance(RETENTION.plus(SWEEP));
        send(Events.transcript("much later", true, 9));

        assertThat(summaries().get(CALL)).isNull();
        assertThat(dedupeKeysOf(CALL)).isZero();
        KeyValueStore<?, ?> index = driver.getKeyValueStore(TimelineTopology.RETENTION_STORE);
        assertThat(index.approximateNumEntries()).isZero();
        assertThat(quarantine.readValue().getReasonCode()).isEqualTo(QuarantineReason.UNKNOWN_CALL);
    }

    @Test
    void aRejectedCallIsForgottenAfterTheRetentionToo() {
        send(Events.requested());
        send(io.sipai.events.CallRejected.newBuilder().setLimit(io.sipai.common.AdmissionLimit.GLOBAL)
                .setDetail("full").setCounters(AdmissionCounters.newBuilder().setGlobalActive(1).setGlobalLimit(1)
                        .setTenantActive(1).setTenantLimit(1).build()).build());

        advance(RETENTION.plus(SWEEP));

        assertThat(summaries().get(CALL)).isNull();
    }

    @Test
    void aLongCallIsForgottenOverSeveralBoundedSweeps() {
        givenAnAnsweredCallWith(2_596);
        send(Events.ended(EndReason.CALLER_HANGUP));
        assertThat(dedupeKeysOf(CALL)).isEqualTo(2_601);

        advance(DEDUPE_RETENTION.plus(SWEEP));
        int afterOneSweep = dedupeKeysOf(CALL);
        advance(SWEEP);

        assertThat(afterOneSweep).as("one sweep deletes a bounded number of keys").isEqualTo(601);
        assertThat(dedupeKeysOf(CALL)).isZero();
        assertThat(summaries().get(CALL)).as("the summary outlives the dedupe keys").isNotNull();
    }

    @Test
    void aCallThatHasNotEndedIsNeverSwept() {
        givenAnAnsweredCallWith(2);

        advance(RETENTION.multipliedBy(3));
        send(Events.transcript("still talking", true, 3));

        assertThat(summaries().get(CALL).getEntryCount()).isEqualTo(7);
        assertThat(dedupeKeysOf(CALL)).isEqualTo(7);
        assertThat(quarantine.isEmpty()).isTrue();
    }
}
