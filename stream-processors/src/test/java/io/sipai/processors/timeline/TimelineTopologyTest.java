package io.sipai.processors.timeline;

import static io.sipai.testing.events.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.sipai.common.AdmissionCounters;
import io.sipai.common.EndReason;
import io.sipai.events.CallAdmitted;
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
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timeline semantics, given/when/then, on the TopologyTestDriver. */
class TimelineTopologyTest {

    private static final String CALL = "call-1";
    private static final String TENANT = "t1";

    private TopologyTestDriver driver;
    private TestInputTopic<String, CallEvent> events;
    private TestOutputTopic<String, CallTimeline> timelines;
    private TestOutputTopic<String, TimelineEntry> entries;
    private TestOutputTopic<String, QuarantinedRecord> quarantine;

    @BeforeEach
    void driver() {
        driver = Drivers.driver(TimelineTopology.build(), "timeline-test");
        events = Drivers.input(driver, Topics.CALL_EVENTS);
        timelines = Drivers.output(driver, Topics.CALL_TIMELINE);
        entries = Drivers.output(driver, Topics.CALL_TIMELINE_ENTRIES);
        quarantine = Drivers.output(driver, Topics.CALL_QUARANTINE);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void send(Object payload) {
        events.pipeInput(CALL, event(CALL, TENANT, payload));
    }

    private static CallAdmitted admitted() {
        return CallAdmitted.newBuilder().setCounters(AdmissionCounters.newBuilder().setGlobalActive(1)
                .setGlobalLimit(10).setTenantActive(1).setTenantLimit(10).build())
                .setLeaseExpiresAt(Events.T0.plusSeconds(600)).build();
    }

    private void givenAnAnsweredCall() {
        send(Events.requested());
        send(admitted());
        send(Events.started());
        send(Events.answered());
    }

    /** The last published summary, after the summary interval has passed on the wall clock. */
    private CallTimeline latest() {
        driver.advanceWallClockTime(TimelineOptions.defaults().summaryInterval());
        List<CallTimeline> all = timelines.readValuesToList();
        return all.getLast();
    }

    @Test
    void aWholeCallGivesContiguousEntriesAndASummaryWithStatusTimesAndCounters() {
        givenAnAnsweredCall();

        send(Events.transcript("hel", false, 1));
        send(Events.transcript("hello", true, 1));
        send(Events.utterance("hi there", 1));
        send(Events.toolCall("lookup"));
        send(Events.bargeIn());
        send(Events.dtmf("1"));
        send(Events.ended(EndReason.CALLER_HANGUP));

        List<TimelineEntry> written = entries.readValuesToList();
        assertThat(written).extracting(TimelineEntry::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L,
                10L, 11L);
        assertThat(written.getFirst().getEventType()).isEqualTo("CallRequested");
        assertThat(written.getLast().getEventType()).isEqualTo("CallEnded");
        CallTimeline timeline = latest();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.CALLER_HANGUP);
        assertThat(timeline.getEntryCount()).isEqualTo(11);
        assertThat(timeline.getVersion()).isEqualTo(11);
        assertThat(timeline.getTurns()).isEqualTo(1);
        assertThat(timeline.getAgentUtterances()).isEqualTo(1);
        assertThat(timeline.getToolCalls()).isEqualTo(1);
        assertThat(timeline.getBargeIns()).isEqualTo(1);
        assertThat(timeline.getDtmfCount()).isEqualTo(1);
        assertThat(timeline.getRequestedAt()).isNotNull();
        assertThat(timeline.getAnsweredAt()).isNotNull();
        assertThat(timeline.getFrom()).isEqualTo("+15550001");
    }

    @Test
    void theStatusFollowsTheLifecycle() {
        send(Events.requested());
        assertThat(latest().getStatus()).isEqualTo(CallStatus.REQUESTED);
        send(admitted());
        assertThat(latest().getStatus()).isEqualTo(CallStatus.ADMITTED);
        send(Events.started());
        assertThat(latest().getStatus()).isEqualTo(CallStatus.RINGING);
        send(Events.answered());
        assertThat(latest().getStatus()).isEqualTo(CallStatus.IN_PROGRESS);
    }

    @Test
    void anOutboundCallWhoseAnswerArrivesBeforeItsMediaStaysInProgressAndRecordsBoth() {
        send(Events.requested());
        send(admitted());
        send(Events.answered());

        send(Events.started());

        assertThat(quarantine.isEmpty()).isTrue();
        assertThat(entries.readValuesToList()).extracting(TimelineEntry::getEventType)
                .containsExactly("CallRequested", "CallAdmitted", "CallAnswered", "CallStarted");
        CallTimeline timeline = latest();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.IN_PROGRESS);
        assertThat(timeline.getStartedAt()).isNotNull();
        assertThat(timeline.getAnsweredAt()).isNotNull();
    }

    @Test
    void aSecondCallStartedIsQuarantinedAsAnInvalidTransition() {
        givenAnAnsweredCall();

        send(Events.started());

        assertThat(quarantine.readValuesToList()).extracting(QuarantinedRecord::getReasonCode)
                .containsExactly(QuarantineReason.INVALID_TRANSITION);
    }

    @Test
    void aRepeatedEventIdCreatesNoSecondEntry() {
        send(Events.requested());
        CallEvent chunk = event(CALL, TENANT, admitted());

        events.pipeInput(CALL, chunk);
        events.pipeInput(CALL, chunk);

        assertThat(entries.readValuesToList()).extracting(TimelineEntry::getSeq).containsExactly(1L, 2L);
        assertThat(quarantine.isEmpty()).isTrue();
    }

    @Test
    void anEventForAnUnknownCallIsQuarantinedWithItsOriginalBytes() {
        CallEvent orphan = event(CALL, TENANT, Events.transcript("hi", true, 1));

        events.pipeInput(CALL, orphan);

        QuarantinedRecord record = quarantine.readValue();
        assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.UNKNOWN_CALL);
        assertThat(record.getSourceTopic()).isEqualTo(Topics.CALL_EVENTS.name());
        assertThat(Topics.CALL_EVENTS.valueSerde().deserializer().deserialize("t", record.getValue().array()))
                .isEqualTo(orphan);
        assertThat(entries.isEmpty()).isTrue();
    }

    @Test
    void anEventAfterTheCallEndedIsQuarantined() {
        givenAnAnsweredCall();
        send(Events.ended(EndReason.CALLER_HANGUP));

        send(Events.transcript("late", true, 2));

        QuarantinedRecord record = quarantine.readValue();
        assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.AFTER_END);
        assertThat(latest().getEntryCount()).isEqualTo(5);
    }

    @Test
    void anEventNotAllowedInTheCurrentStateIsQuarantinedAsAnInvalidTransition() {
        send(Events.requested());

        send(Events.started());

        QuarantinedRecord record = quarantine.readValue();
        assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.INVALID_TRANSITION);
        assertThat(record.getReason()).isEqualTo("CallStarted is not allowed in state REQUESTED");
    }

    @Test
    void anEventWhoseKeyIsNotItsCallIdOrWithoutTenantIsQuarantinedAsMalformed() {
        events.pipeInput("other-call", event(CALL, TENANT, Events.requested()));
        events.pipeInput(CALL, event(CALL, " ", Events.requested()));

        assertThat(quarantine.readValuesToList()).extracting(QuarantinedRecord::getReasonCode)
                .containsExactly(QuarantineReason.MALFORMED, QuarantineReason.MALFORMED);
        assertThat(entries.isEmpty()).isTrue();
    }

    @Test
    void undecodableBytesAreQuarantinedWithTheOriginalBytesAndTheNextEventStillApplies() {
        byte[] garbage = {(byte) 0xC3, 0x01, 1, 2, 3};

        driver.createInputTopic(Topics.CALL_EVENTS.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer()).pipeInput(CALL, garbage);
        send(Events.requested());

        QuarantinedRecord record = quarantine.readValue();
        assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.UNDECODABLE);
        assertThat(record.getValue().array()).isEqualTo(garbage);
        assertThat(new String(record.getKey().array(), StandardCharsets.UTF_8)).isEqualTo(CALL);
        assertThat(record.getProcessor()).isEqualTo("timeline-test");
        assertThat(entries.readValue().getSeq()).isEqualTo(1);
    }

    @Test
    void aReclaimedSlotIsAnEntryAndTheCallEndedAdmissionWritesWithItIsTheOneEnd() {
        givenAnAnsweredCall();

        send(SlotReclaimed.newBuilder().setLastHeartbeatAt(Events.T0).setLeaseExpiredAt(Events.T0)
                .setCounters(admitted().getCounters()).build());
        assertThat(latest().getStatus()).isEqualTo(CallStatus.IN_PROGRESS);
        send(Events.ended(EndReason.SLOT_EXPIRED));
        send(Events.ended(EndReason.ERROR));

        CallTimeline timeline = latest();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.SLOT_EXPIRED);
        assertThat(timeline.getEntryCount()).isEqualTo(6);
        assertThat(quarantine.readValue().getReasonCode()).isEqualTo(QuarantineReason.AFTER_END);
    }

    @Test
    void aOneHourCallWithFiveThousandEntriesKeepsEveryValueSmall() {
        givenAnAnsweredCall();

        for (int i = 0; i < 5_000; i++) {
            send(Events.transcript("chunk " + i, i % 2 == 0, i / 2 + 1));
        }

        List<TimelineEntry> written = entries.readValuesToList();
        assertThat(written).hasSize(5_004);
        assertThat(written.getLast().getSeq()).isEqualTo(5_004);
        CallTimeline timeline = latest();
        assertThat(timeline.getEntryCount()).isEqualTo(5_004);
        assertThat(timeline.getTurns()).isEqualTo(2_500);
        byte[] summary = Topics.CALL_TIMELINE.valueSerde().serializer().serialize("t", timeline);
        assertThat(summary.length).isLessThan(1_024);
    }
}
