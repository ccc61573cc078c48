package io.sipai.processors.timeline;

import static io.sipai.processors.testing.TimelineHarness.admitted;
import static io.sipai.processors.testing.TimelineHarness.at;
import static io.sipai.processors.testing.TimelineHarness.ended;
import static io.sipai.processors.testing.TimelineHarness.reclaimed;
import static io.sipai.processors.testing.TimelineHarness.requested;
import static io.sipai.processors.testing.TimelineHarness.started;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipai.common.AdmissionLimit;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.events.RecordingAvailable;
import io.sipai.processors.testing.TimelineHarness;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.testing.events.Events;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One end per call: the first CallEnded ends the timeline whoever wrote it (the edge, a provider's status callback,
 * admission, the API), every later CallEnded is quarantined AFTER_END, and a bystander's end (one that does not
 * carry the media) gets its duration from the answer (else the media start) to the end. Given/when/then on the
 * TopologyTestDriver.
 */
class TimelineEndsTest {

    private final TimelineHarness call = new TimelineHarness("timeline-ends-test");

    @AfterEach
    void close() {
        call.close();
    }

    /** A WebSocket call: requested, admitted, media up at 1 s, answered at 2 s. */
    private void givenAnAnsweredWebSocketCall() {
        call.write(EventSource.REALTIME_EDGE, 0, requested(CallDirection.INBOUND, Transport.WEBSOCKET));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());
        call.write(EventSource.REALTIME_EDGE, 1, started(CallDirection.INBOUND, Transport.WEBSOCKET));
        call.write(EventSource.REALTIME_EDGE, 2, Events.answered());
        call.entries();
    }

    @Test
    void theFirstCallEndedEndsTheCallAndASecondFromAnotherSourceIsQuarantinedAfterEnd() {
        givenAnAnsweredWebSocketCall();

        call.write(EventSource.REALTIME_EDGE, 62, ended(EndReason.CALLER_HANGUP, "connection closed (1000)", 61_000));
        call.write(EventSource.JAMBONZ, 62, ended(EndReason.CALLER_HANGUP, "provider status completed", 60_000));

        assertThat(call.entryTypes()).containsExactly("CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        CallTimeline timeline = call.summary();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(timeline.getEndedAt()).isEqualTo(at(62));
        assertThat(timeline.getDurationMs()).isEqualTo(61_000L);
        assertThat(timeline.getEntryCount()).isEqualTo(5);
    }

    @Test
    void anEndAfterTheEndIsQuarantinedWithTheEndItCameAfterInItsReason() {
        givenAnAnsweredWebSocketCall();
        CallEvent first = call.write(EventSource.REALTIME_EDGE, 10, ended(EndReason.AGENT_HANGUP, null, 9_000));

        call.write(EventSource.REALTIME_EDGE, 11, ended(EndReason.ERROR, "socket closed", 10_000));

        assertThat(call.quarantinedRecords().getFirst().getReason())
                .isEqualTo("CallEnded after the call ended (AGENT_HANGUP, event " + first.getEventId() + ")");
        assertThat(call.summary().getEndReason()).isEqualTo(EndReason.AGENT_HANGUP);
    }

    @Test
    void anEdgeLostCallTakesItsDurationFromTheAnswerAndTheEdgesLaterCallEndedIsAfterEnd() {
        givenAnAnsweredWebSocketCall();

        call.write(EventSource.STREAM_PROCESSORS, 92, ended(EndReason.EDGE_LOST, "no heartbeat for 20 s", 65_000));
        call.write(EventSource.REALTIME_EDGE, 93, ended(EndReason.SLOT_EXPIRED, "admission no longer holds the slot",
                91_000));

        assertThat(call.entryTypes()).containsExactly("CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        CallTimeline timeline = call.summary();
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.EDGE_LOST);
        assertThat(timeline.getDurationMs()).as("answered at 2 s, lost at 92 s").isEqualTo(90_000L);
    }

    @Test
    void anApiHangupOfAWebSocketCallIsTheOneEndWithADurationFromTheAnswer() {
        givenAnAnsweredWebSocketCall();

        call.write(EventSource.API_GATEWAY, 32, ended(EndReason.API_HANGUP, "POST /v1/calls/call-1/hangup", 0));
        call.write(EventSource.REALTIME_EDGE, 36, ended(EndReason.SLOT_EXPIRED, "admission no longer holds the slot",
                35_000));

        assertThat(call.entries()).extracting(entry -> ((CallEnded) entry.getEvent().getPayload()).getReason())
                .containsExactly(EndReason.API_HANGUP);
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        CallTimeline timeline = call.summary();
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.API_HANGUP);
        assertThat(timeline.getDurationMs()).isEqualTo(30_000L);
    }

    @Test
    void aBystanderEndOfACallWhoseMediaStartedButWasNeverAnsweredCountsFromTheMediaStart() {
        call.write(EventSource.API_GATEWAY, 0, requested(CallDirection.OUTBOUND, Transport.TWILIO));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());
        call.write(EventSource.REALTIME_EDGE, 4, started(CallDirection.OUTBOUND, Transport.TWILIO));

        call.write(EventSource.STREAM_PROCESSORS, 30, ended(EndReason.EDGE_LOST, "no heartbeat for 20 s", 6_000));

        assertThat(call.summary().getDurationMs()).isEqualTo(26_000L);
    }

    @Test
    void anExpiredSlotIsOneSlotReclaimedEntryAndOneEnd() {
        call.write(EventSource.API_GATEWAY, 0, requested(CallDirection.OUTBOUND, Transport.JAMBONZ));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());

        call.write(EventSource.STREAM_PROCESSORS, 600, reclaimed());
        assertThat(call.summary().getStatus()).as("the slot is freed; the call ends with the CallEnded after it")
                .isEqualTo(CallStatus.ADMITTED);
        call.write(EventSource.STREAM_PROCESSORS, 600, ended(EndReason.SLOT_EXPIRED, "no heartbeat within 600 s", 0));
        call.write(EventSource.JAMBONZ, 601, ended(EndReason.FAILED, "provider status failed", 0));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "SlotReclaimed", "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        CallTimeline timeline = call.summary();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.SLOT_EXPIRED);
        assertThat(timeline.getDurationMs()).isZero();
    }

    @Test
    void aCallGivenUpBeforeItsAdmissionArrivedEndsInRequestedAndTheLateAdmissionIsAfterEnd() {
        call.write(EventSource.REALTIME_EDGE, 0, requested(CallDirection.INBOUND, Transport.WEBSOCKET));

        call.write(EventSource.REALTIME_EDGE, 5, ended(EndReason.ERROR,
                "admission_unavailable: no decision within 5000 ms", 5_000));
        call.write(EventSource.STREAM_PROCESSORS, 40, admitted());

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        CallTimeline timeline = call.summary();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.ERROR);
        assertThat(timeline.getEndedAt()).isEqualTo(at(5));
        assertThat(timeline.getAdmittedAt()).isNull();
    }

    @Test
    void aCallGivenUpAfterItsAdmissionArrivedEndsInAdmittedWithTheDurationItsEndReports() {
        call.write(EventSource.API_GATEWAY, 0, requested(CallDirection.OUTBOUND, Transport.TWILIO));
        call.write(EventSource.STREAM_PROCESSORS, 5, admitted());

        call.write(EventSource.API_GATEWAY, 5, ended(EndReason.ERROR, "admission: no decision within 5000 ms", 5_000));

        CallTimeline timeline = call.summary();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(timeline.getAdmittedAt()).isEqualTo(at(5));
        assertThat(timeline.getDurationMs()).as("never connected: from the request to the give-up")
                .isEqualTo(5_000L);
        assertThat(call.quarantined()).isEmpty();
    }

    @Test
    void aRejectedCallTakesNoCallEndedAfterItsRejection() {
        call.write(EventSource.REALTIME_EDGE, 0, requested(CallDirection.INBOUND, Transport.WEBSOCKET));
        call.write(EventSource.STREAM_PROCESSORS, 0, CallRejected.newBuilder()
                .setLimit(AdmissionLimit.TENANT).setDetail("tenant limit 10 reached")
                .setCounters(TimelineHarness.COUNTERS).build());

        call.write(EventSource.REALTIME_EDGE, 1, ended(EndReason.REJECTED, "admission refused", 1_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallRejected");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        assertThat(call.summary().getStatus()).isEqualTo(CallStatus.REJECTED);
    }

    @Test
    void aRecordingThatArrivesAfterAProvidersEndIsStillInTheTimeline() {
        // given a call that the provider's status callback ended first
        givenAnAnsweredWebSocketCall();
        call.write(EventSource.TWILIO, 30, ended(EndReason.CALLER_HANGUP, "provider status completed", 29_000));

        // when the edge finishes the call's recording and its own end arrives
        call.write(EventSource.REALTIME_EDGE, 30, RecordingAvailable.newBuilder()
                .setUri("file:///recordings/acme/c.wav").setContentType("audio/wav").setDurationMs(28_900).build());
        call.write(EventSource.REALTIME_EDGE, 30, ended(EndReason.CALLER_HANGUP, "connection closed", 29_100));

        // then the recording is an entry of the ended call, and only the second end is after the end
        assertThat(call.entryTypes()).containsExactly("CallEnded", "RecordingAvailable");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        CallTimeline timeline = call.summary();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(timeline.getEntryCount()).isEqualTo(6);
    }

    @Test
    void aRejectedCallTakesNoRecording() {
        call.write(EventSource.REALTIME_EDGE, 0, requested(CallDirection.INBOUND, Transport.WEBSOCKET));
        call.write(EventSource.STREAM_PROCESSORS, 0, CallRejected.newBuilder()
                .setLimit(AdmissionLimit.TENANT).setDetail("tenant limit 10 reached")
                .setCounters(TimelineHarness.COUNTERS).build());

        call.write(EventSource.REALTIME_EDGE, 1, RecordingAvailable.newBuilder()
                .setUri("file:///recordings/acme/c.wav").setContentType("audio/wav").setDurationMs(100).build());

        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
    }
}
