package io.sipai.processors.timeline;

import static io.sipai.testing.events.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.sipai.common.AdmissionCounters;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.SlotReclaimed;
import io.sipai.processors.testing.Drivers;
import io.sipai.processors.timeline.internal.TimelineTopology;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a call's end is recorded when a source other than its edge ends it (admission: SLOT_EXPIRED, EDGE_LOST;
 * api-gateway: API_HANGUP) and the edge reports its own end later: the edge's trailing CallEnded is one more entry
 * and supplies the duration, and any CallEnded after it is AFTER_END. Given/when/then on the TopologyTestDriver.
 */
class TimelineEndsTest {

    private static final String CALL = "call-1";
    private static final String TENANT = "t1";
    private static final AdmissionCounters COUNTERS = AdmissionCounters.newBuilder().setGlobalActive(1)
            .setGlobalLimit(10).setTenantActive(1).setTenantLimit(10).build();

    private TopologyTestDriver driver;
    private TestInputTopic<String, CallEvent> events;
    private TestOutputTopic<String, CallTimeline> timelines;
    private TestOutputTopic<String, TimelineEntry> entries;
    private TestOutputTopic<String, QuarantinedRecord> quarantine;

    @BeforeEach
    void givenAnAnsweredCall() {
        driver = Drivers.driver(TimelineTopology.build(), "timeline-ends-test");
        events = Drivers.input(driver, Topics.CALL_EVENTS);
        timelines = Drivers.output(driver, Topics.CALL_TIMELINE);
        entries = Drivers.output(driver, Topics.CALL_TIMELINE_ENTRIES);
        quarantine = Drivers.output(driver, Topics.CALL_QUARANTINE);
        send(EventSource.API_GATEWAY, Events.requested());
        send(EventSource.STREAM_PROCESSORS, CallAdmitted.newBuilder().setCounters(COUNTERS)
                .setLeaseExpiresAt(Events.T0.plusSeconds(600)).build());
        send(EventSource.REALTIME_EDGE, Events.started());
        send(EventSource.REALTIME_EDGE, Events.answered());
        entries.readValuesToList();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void send(EventSource source, Object payload) {
        events.pipeInput(CALL, CallEvent.newBuilder(event(CALL, TENANT, payload)).setSource(source).build());
    }

    private static CallEnded ended(EndReason reason, long durationMs) {
        return CallEnded.newBuilder().setReason(reason).setDetail("test").setDurationMs(durationMs).build();
    }

    private CallTimeline latest() {
        driver.advanceWallClockTime(TimelineOptions.defaults().summaryInterval());
        return timelines.readValuesToList().getLast();
    }

    @Test
    void anEdgeLostCallRecordsTheEdgesTrailingCallEndedOnceWithItsDuration() {
        send(EventSource.STREAM_PROCESSORS, ended(EndReason.EDGE_LOST, 5_000));
        CallTimeline lost = latest();
        assertThat(lost.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(lost.getEndReason()).isEqualTo(EndReason.EDGE_LOST);
        assertThat(lost.getDurationMs()).as("admission does not know how long the media ran").isNull();

        send(EventSource.REALTIME_EDGE, ended(EndReason.ERROR, 42_000));
        send(EventSource.REALTIME_EDGE, ended(EndReason.ERROR, 43_000));

        assertThat(entries.readValuesToList()).extracting(TimelineEntry::getSeq).containsExactly(5L, 6L);
        CallTimeline timeline = latest();
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.EDGE_LOST);
        assertThat(timeline.getDurationMs()).isEqualTo(42_000L);
        assertThat(timeline.getEntryCount()).isEqualTo(6);
        assertThat(quarantine.readValuesToList()).extracting(QuarantinedRecord::getReasonCode)
                .containsExactly(QuarantineReason.AFTER_END);
    }

    @Test
    void anApiHangupIsFollowedByTheEdgesOwnCallEndedWhichIsRecordedInsteadOfQuarantined() {
        send(EventSource.API_GATEWAY, ended(EndReason.API_HANGUP, 0));

        send(EventSource.REALTIME_EDGE, ended(EndReason.CALLER_HANGUP, 61_000));

        assertThat(quarantine.isEmpty()).isTrue();
        assertThat(entries.readValuesToList()).extracting(entry -> ((CallEnded) entry.getEvent().getPayload())
                .getReason()).containsExactly(EndReason.API_HANGUP, EndReason.CALLER_HANGUP);
        CallTimeline timeline = latest();
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.API_HANGUP);
        assertThat(timeline.getDurationMs()).isEqualTo(61_000L);
    }

    @Test
    void anExpiredSlotsSlotReclaimedAndCallEndedAreOneEndAndTheEdgesCallEndedStillFollowsOnce() {
        send(EventSource.STREAM_PROCESSORS, SlotReclaimed.newBuilder().setLastHeartbeatAt(Events.T0)
                .setLeaseExpiredAt(Events.T0).setCounters(COUNTERS).build());
        send(EventSource.STREAM_PROCESSORS, ended(EndReason.SLOT_EXPIRED, 0));
        send(EventSource.REALTIME_EDGE, ended(EndReason.CALLER_HANGUP, 30_000));
        send(EventSource.REALTIME_EDGE, ended(EndReason.CALLER_HANGUP, 31_000));

        List<TimelineEntry> written = entries.readValuesToList();
        assertThat(written).extracting(TimelineEntry::getEventType).containsExactly("SlotReclaimed", "CallEnded",
                "CallEnded");
        CallTimeline timeline = latest();
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.SLOT_EXPIRED);
        assertThat(timeline.getDurationMs()).isEqualTo(30_000L);
        assertThat(quarantine.readValuesToList()).extracting(QuarantinedRecord::getReasonCode)
                .containsExactly(QuarantineReason.AFTER_END);
    }

    @Test
    void anEdgeLostRacingAnApiHangupIsRecordedAndTheEdgesCallEndedStillCloses() {
        send(EventSource.API_GATEWAY, ended(EndReason.API_HANGUP, 0));
        send(EventSource.STREAM_PROCESSORS, ended(EndReason.EDGE_LOST, 0));
        send(EventSource.REALTIME_EDGE, ended(EndReason.CALLER_HANGUP, 20_000));
        send(EventSource.REALTIME_EDGE, ended(EndReason.CALLER_HANGUP, 20_000));

        assertThat(entries.readValuesToList()).hasSize(3);
        CallTimeline timeline = latest();
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.API_HANGUP);
        assertThat(timeline.getDurationMs()).isEqualTo(20_000L);
        assertThat(quarantine.readValuesToList()).hasSize(1);
    }

    @Test
    void aCallTheEdgeEndedItselfTakesNoSecondCallEnded() {
        send(EventSource.REALTIME_EDGE, ended(EndReason.CALLER_HANGUP, 10_000));

        send(EventSource.REALTIME_EDGE, ended(EndReason.ERROR, 11_000));

        assertThat(entries.readValuesToList()).hasSize(1);
        assertThat(latest().getDurationMs()).isEqualTo(10_000L);
        assertThat(quarantine.readValue().getReasonCode()).isEqualTo(QuarantineReason.AFTER_END);
    }
}
