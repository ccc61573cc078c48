package io.sipai.processors.timeline;

import static io.sipai.processors.testing.TimelineHarness.admitted;
import static io.sipai.processors.testing.TimelineHarness.at;
import static io.sipai.processors.testing.TimelineHarness.ended;
import static io.sipai.processors.testing.TimelineHarness.requested;
import static io.sipai.processors.testing.TimelineHarness.started;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.processors.testing.TimelineHarness;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.testing.events.Events;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event orders real calls produce, per provider and direction (docs/events.md, "Call lifecycle"), each written
 * with the sources that write it: the timeline accepts every fact once, in whichever order the independent
 * sources (api-gateway's provider callbacks, realtime-edge's media, admission) reported it, and refuses only the
 * second report of an end or an answer. Given/when/then on the TopologyTestDriver.
 */
class ProviderEventOrdersTest {

    private final TimelineHarness call = new TimelineHarness("provider-orders-test");

    @AfterEach
    void close() {
        call.close();
    }

    /** Asserts a call that was answered at {@code answeredAt}, connected at {@code startedAt} and ended. */
    private void thenTheCallRanFromStartToEnd(int startedAt, int answeredAt, EndReason reason, long durationMs) {
        CallTimeline timeline = call.summary();
        assertThat(timeline.getStatus()).isEqualTo(CallStatus.ENDED);
        assertThat(timeline.getStartedAt()).isEqualTo(at(startedAt));
        assertThat(timeline.getAnsweredAt()).isEqualTo(at(answeredAt));
        assertThat(timeline.getEndReason()).isEqualTo(reason);
        assertThat(timeline.getDurationMs()).isEqualTo(durationMs);
    }

    @Test
    void aTwilioInboundCallWhoseStreamStopsBeforeStatusCompletedEndsOnceWithTheEdgesDuration() {
        call.write(EventSource.TWILIO, 0, requested(CallDirection.INBOUND, Transport.TWILIO));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());
        call.write(EventSource.REALTIME_EDGE, 1, started(CallDirection.INBOUND, Transport.TWILIO));
        call.write(EventSource.REALTIME_EDGE, 1, Events.answered());
        call.write(EventSource.REALTIME_EDGE, 5, Events.transcript("hello", true, 1));

        call.write(EventSource.REALTIME_EDGE, 41, ended(EndReason.CALLER_HANGUP, "stop", 40_000));
        call.write(EventSource.TWILIO, 41, ended(EndReason.CALLER_HANGUP, "provider status completed", 41_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallStarted", "CallAnswered",
                "TranscriptChunk", "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        thenTheCallRanFromStartToEnd(1, 1, EndReason.CALLER_HANGUP, 40_000);
    }

    @Test
    void aTwilioInboundCallWhoseStatusCompletedComesBeforeTheStreamStopEndsOnceWithTwiliosDuration() {
        call.write(EventSource.TWILIO, 0, requested(CallDirection.INBOUND, Transport.TWILIO));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());
        call.write(EventSource.REALTIME_EDGE, 1, started(CallDirection.INBOUND, Transport.TWILIO));
        call.write(EventSource.REALTIME_EDGE, 1, Events.answered());

        call.write(EventSource.TWILIO, 41, ended(EndReason.CALLER_HANGUP, "provider status completed", 41_000));
        call.write(EventSource.REALTIME_EDGE, 41, ended(EndReason.CALLER_HANGUP, "stop", 40_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallStarted", "CallAnswered",
                "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        thenTheCallRanFromStartToEnd(1, 1, EndReason.CALLER_HANGUP, 41_000);
    }

    @Test
    void aTwilioOutboundCallAnsweredBeforeItsStreamStartsStaysInProgressAndRecordsTheStart() {
        call.write(EventSource.API_GATEWAY, 0, requested(CallDirection.OUTBOUND, Transport.TWILIO));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());

        call.write(EventSource.TWILIO, 8, Events.answered());
        assertThat(call.summary().getStatus()).isEqualTo(CallStatus.IN_PROGRESS);
        call.write(EventSource.REALTIME_EDGE, 9, started(CallDirection.OUTBOUND, Transport.TWILIO));
        call.write(EventSource.REALTIME_EDGE, 70, ended(EndReason.AGENT_HANGUP, "end_call", 61_000));
        call.write(EventSource.TWILIO, 70, ended(EndReason.CALLER_HANGUP, "provider status completed", 62_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallAnswered", "CallStarted",
                "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        thenTheCallRanFromStartToEnd(9, 8, EndReason.AGENT_HANGUP, 61_000);
    }

    @Test
    void aTwilioOutboundCallWhoseStreamStartsBeforeTheAnswerRingsThenGoesInProgress() {
        call.write(EventSource.API_GATEWAY, 0, requested(CallDirection.OUTBOUND, Transport.TWILIO));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());

        call.write(EventSource.REALTIME_EDGE, 7, started(CallDirection.OUTBOUND, Transport.TWILIO));
        assertThat(call.summary().getStatus()).isEqualTo(CallStatus.RINGING);
        call.write(EventSource.TWILIO, 8, Events.answered());
        call.write(EventSource.TWILIO, 70, ended(EndReason.CALLER_HANGUP, "provider status completed", 62_000));
        call.write(EventSource.REALTIME_EDGE, 70, ended(EndReason.CALLER_HANGUP, "stop", 63_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallStarted", "CallAnswered",
                "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        thenTheCallRanFromStartToEnd(7, 8, EndReason.CALLER_HANGUP, 62_000);
    }

    @Test
    void anUnansweredTwilioOutboundCallEndsFromAdmittedWithNoDuration() {
        call.write(EventSource.API_GATEWAY, 0, requested(CallDirection.OUTBOUND, Transport.TWILIO));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());

        call.write(EventSource.TWILIO, 30, ended(EndReason.NO_ANSWER, "provider status no-answer", 0));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallEnded");
        CallTimeline timeline = call.summary();
        assertThat(timeline.getEndReason()).isEqualTo(EndReason.NO_ANSWER);
        assertThat(timeline.getStartedAt()).isNull();
        assertThat(timeline.getDurationMs()).isZero();
    }

    @Test
    void aJambonzInboundCallWhoseStatusCompletedComesBeforeTheSocketCloseEndsOnce() {
        call.write(EventSource.JAMBONZ, 0, requested(CallDirection.INBOUND, Transport.JAMBONZ));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());
        call.write(EventSource.REALTIME_EDGE, 2, started(CallDirection.INBOUND, Transport.JAMBONZ));
        call.write(EventSource.REALTIME_EDGE, 2, Events.answered());
        call.write(EventSource.REALTIME_EDGE, 4, Events.utterance("how can I help", 1));

        call.write(EventSource.JAMBONZ, 32, ended(EndReason.CALLER_HANGUP, "provider status completed", 31_000));
        call.write(EventSource.REALTIME_EDGE, 32, ended(EndReason.CALLER_HANGUP, "connection closed (1000)", 30_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallStarted", "CallAnswered",
                "AgentUtterance", "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        thenTheCallRanFromStartToEnd(2, 2, EndReason.CALLER_HANGUP, 31_000);
    }

    @Test
    void aJambonzCallAnsweredBeforeItsListenSocketOpensKeepsCallStartedAndRefusesASecondAnswer() {
        // the order of issue 22: call hook, status trying, status in-progress, then the listen socket
        call.write(EventSource.JAMBONZ, 0, requested(CallDirection.INBOUND, Transport.JAMBONZ));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());
        call.write(EventSource.JAMBONZ, 1, Events.answered());

        call.write(EventSource.REALTIME_EDGE, 2, started(CallDirection.INBOUND, Transport.JAMBONZ));
        call.write(EventSource.REALTIME_EDGE, 2, Events.answered());
        call.write(EventSource.REALTIME_EDGE, 30, ended(EndReason.CALLER_HANGUP, "connection closed (1000)", 28_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallAnswered", "CallStarted",
                "CallEnded");
        assertThat(call.quarantinedRecords()).singleElement().satisfies(refused -> {
            assertThat(refused.getReasonCode()).isEqualTo(QuarantineReason.INVALID_TRANSITION);
            assertThat(refused.getReason()).isEqualTo(
                    "CallAnswered is not allowed in state IN_PROGRESS: the call was already answered");
        });
        thenTheCallRanFromStartToEnd(2, 1, EndReason.CALLER_HANGUP, 28_000);
    }

    @Test
    void aJambonzOutboundCallAnsweredBeforeItsSocketAndCompletedBeforeItsCloseRecordsEachFactOnce() {
        call.write(EventSource.API_GATEWAY, 0, requested(CallDirection.OUTBOUND, Transport.JAMBONZ));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());

        call.write(EventSource.JAMBONZ, 6, Events.answered());
        call.write(EventSource.REALTIME_EDGE, 7, started(CallDirection.OUTBOUND, Transport.JAMBONZ));
        call.write(EventSource.REALTIME_EDGE, 9, Events.dtmf("1"));
        call.write(EventSource.JAMBONZ, 50, ended(EndReason.CALLER_HANGUP, "provider status completed", 44_000));
        call.write(EventSource.REALTIME_EDGE, 50, ended(EndReason.CALLER_HANGUP, "connection closed (1000)", 43_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallAnswered", "CallStarted",
                "DtmfReceived", "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END);
        thenTheCallRanFromStartToEnd(7, 6, EndReason.CALLER_HANGUP, 44_000);
    }

    @Test
    void anOwnProtocolCallIsRecordedInTheOrderTheEdgeWroteIt() {
        call.write(EventSource.REALTIME_EDGE, 0, requested(CallDirection.INBOUND, Transport.WEBSOCKET));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());
        call.write(EventSource.REALTIME_EDGE, 0, started(CallDirection.INBOUND, Transport.WEBSOCKET));
        call.write(EventSource.REALTIME_EDGE, 0, Events.answered());
        call.write(EventSource.REALTIME_EDGE, 3, Events.bargeIn());

        call.write(EventSource.REALTIME_EDGE, 20, ended(EndReason.CALLER_HANGUP, null, 20_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallStarted", "CallAnswered",
                "BargeIn", "CallEnded");
        assertThat(call.quarantined()).isEmpty();
        thenTheCallRanFromStartToEnd(0, 0, EndReason.CALLER_HANGUP, 20_000);
    }

    @Test
    void eventsALostEdgeReSendsAfterItsEdgeLostEndAreQuarantinedAfterEnd() {
        call.write(EventSource.REALTIME_EDGE, 0, requested(CallDirection.INBOUND, Transport.WEBSOCKET));
        call.write(EventSource.STREAM_PROCESSORS, 0, admitted());
        call.write(EventSource.REALTIME_EDGE, 0, started(CallDirection.INBOUND, Transport.WEBSOCKET));
        call.write(EventSource.REALTIME_EDGE, 0, Events.answered());

        call.write(EventSource.STREAM_PROCESSORS, 45, ended(EndReason.EDGE_LOST, "no heartbeat for 20 s", 25_000));
        call.write(EventSource.REALTIME_EDGE, 26, Events.transcript("are you there", true, 2));
        call.write(EventSource.REALTIME_EDGE, 27, ended(EndReason.ERROR, "node stopped", 27_000));

        assertThat(call.entryTypes()).containsExactly("CallRequested", "CallAdmitted", "CallStarted", "CallAnswered",
                "CallEnded");
        assertThat(call.quarantined()).containsExactly(QuarantineReason.AFTER_END, QuarantineReason.AFTER_END);
        thenTheCallRanFromStartToEnd(0, 0, EndReason.EDGE_LOST, 45_000);
    }
}
