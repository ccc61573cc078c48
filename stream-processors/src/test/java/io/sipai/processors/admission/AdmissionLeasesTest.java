package io.sipai.processors.admission;

import static io.sipai.testing.events.Events.acquire;
import static io.sipai.testing.events.Events.heartbeat;
import static io.sipai.testing.events.Events.release;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.SlotReclaimed;
import io.sipai.processors.admission.internal.AdmissionProcessor;
import io.sipai.processors.admission.internal.AdmissionTopology;
import io.sipai.processors.admission.internal.ExpiryIndex;
import io.sipai.processors.admission.internal.Slot;
import io.sipai.processors.testing.Drivers;
import io.sipai.schemas.CounterKeys;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slot leases, given/when/then, on the TopologyTestDriver with a mock wall clock that moves one second at a time
 * (as the real punctuator does; a single big step looks like a stall of the processor): a slot that never heard a
 * heartbeat lasts the TTL (SLOT_EXPIRED), an edge-held one the heartbeat timeout (EDGE_LOST), and no stall of the
 * processor or of its input ends a call whose edge is alive.
 */
class AdmissionLeasesTest {

    private static final Duration TTL = Duration.ofSeconds(600);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String TENANT = "t1";

    private TopologyTestDriver driver;
    private TestInputTopic<String, AdmissionCommand> commands;
    private TestOutputTopic<String, AdmissionDecision> decisions;
    private TestOutputTopic<String, CallEvent> events;
    private int sinceStart;

    @BeforeEach
    void given() {
        driver = Drivers.driver(AdmissionTopology.build(AdmissionSettings.of(10_000, 10_000, 10_000, TTL, TIMEOUT)),
                "leases-test");
        commands = Drivers.input(driver, Topics.CALL_ADMISSION);
        decisions = Drivers.output(driver, Topics.CALL_ADMISSION_DECISIONS);
        events = Drivers.output(driver, Topics.CALL_EVENTS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    /** Writes a command now: its record timestamp is the (mock) wall-clock time. */
    private void send(AdmissionCommand command) {
        send(command, sinceStart);
    }

    /** Writes a command as written {@code writtenAt} seconds after the start, e.g. one held up in a backlog. */
    private void send(AdmissionCommand command, int writtenAt) {
        commands.pipeInput(Topics.ADMISSION_KEY, command, Events.T0.plusSeconds(writtenAt));
    }

    /** Calls granted and heartbeated once, as realtime-edge does right after it takes a call. */
    private void givenEdgeHeldCalls(String... callIds) {
        for (String callId : callIds) {
            send(acquire(callId, TENANT, null));
            send(heartbeat(callId, TENANT));
        }
        decisions.readValuesToList();
        events.readValuesToList();
    }

    /**
     * Lets {@code seconds} pass one second at a time; the {@code live} calls heartbeat whenever the seconds since
     * the start are a multiple of five, as realtime-edge does.
     */
    private void elapse(int seconds, String... live) {
        for (int second = 1; second <= seconds; second++) {
            driver.advanceWallClockTime(AdmissionProcessor.REAP_INTERVAL);
            sinceStart++;
            if (sinceStart % 5 == 0) {
                for (String callId : live) {
                    send(heartbeat(callId, TENANT));
                }
            }
        }
    }

    /** This instance freezes for {@code seconds}: the wall clock jumps, with one punctuation after it. */
    private void freeze(int seconds) {
        driver.advanceWallClockTime(Duration.ofSeconds(seconds));
        sinceStart += seconds;
    }

    private int active() {
        KeyValueStore<String, Integer> store = driver.getKeyValueStore(AdmissionTopology.COUNTERS_STORE);
        Integer value = store.get(CounterKeys.tenant(TENANT));
        return value == null ? 0 : value;
    }

    private List<CallEnded> endedOf(String callId) {
        return events.readValuesToList().stream().filter(event -> event.getCallId().equals(callId))
                .map(CallEvent::getPayload).filter(CallEnded.class::isInstance).map(CallEnded.class::cast).toList();
    }

    @Test
    void anEdgeHeldCallWhoseHeartbeatsStopEndsEdgeLostAfterTheTimeoutWhileOtherEdgesAreHeard() {
        givenEdgeHeldCalls("lost", "alive");

        elapse(19, "alive");
        assertThat(events.isEmpty()).isTrue();
        elapse(2, "alive");

        List<CallEvent> emitted = events.readValuesToList();
        assertThat(emitted).singleElement().satisfies(event -> {
            assertThat(event.getCallId()).isEqualTo("lost");
            assertThat(event.getTenantId()).isEqualTo(TENANT);
            assertThat(event.getSource()).isEqualTo(EventSource.STREAM_PROCESSORS);
            assertThat(event.getEventId()).isEqualTo(UUID.nameUUIDFromBytes("admission/lost/ended"
                    .getBytes(StandardCharsets.UTF_8)).toString());
            CallEnded ended = (CallEnded) event.getPayload();
            assertThat(ended.getReason()).isEqualTo(EndReason.EDGE_LOST);
            assertThat(ended.getDetail()).contains("TELEPHONY_HEARTBEAT_TIMEOUT_SEC=20");
        });
        assertThat(active()).isEqualTo(1);
    }

    @Test
    void heartbeatsEveryFiveSecondsKeepAnEdgeHeldSlotAndAreNotAnswered() {
        givenEdgeHeldCalls("call-1");

        elapse(300, "call-1");

        assertThat(events.isEmpty()).isTrue();
        assertThat(decisions.isEmpty()).isTrue();
        assertThat(active()).isEqualTo(1);
    }

    @Test
    void whenNothingAtAllArrivesTheOnlyEdgesCallEndsOneTimeoutLaterStillWithinAMinute() {
        givenEdgeHeldCalls("call-1");

        elapse(39);
        assertThat(events.isEmpty()).as("no input at all may also be a frozen partition leader").isTrue();
        elapse(2);

        assertThat(endedOf("call-1")).extracting(CallEnded::getReason).containsExactly(EndReason.EDGE_LOST);
        assertThat(active()).isZero();
    }

    @Test
    void anInputThatFreezesLongerThanTheTimeoutEndsNoCallWhileFrozenAndOnlyTheSilentOneAfterItThaws() {
        givenEdgeHeldCalls("alive", "lost");

        // the admission partition's leader freezes for 30 s: alive's heartbeats wait in its edge's producer
        elapse(30);
        assertThat(events.isEmpty()).as("nothing read proves nothing").isTrue();
        for (int writtenAt = 5; writtenAt <= 30; writtenAt += 5) {
            send(heartbeat("alive", TENANT), writtenAt);
        }
        elapse(1);

        assertThat(endedOf("lost")).extracting(CallEnded::getReason).containsExactly(EndReason.EDGE_LOST);
        elapse(60, "alive");
        assertThat(events.isEmpty()).isTrue();
        assertThat(active()).isEqualTo(1);
    }

    @Test
    void aTaskCatchingUpOnABacklogEndsNoCallWhoseHeartbeatIsStillInIt() {
        givenEdgeHeldCalls("alive", "lost");

        // the task lags: nothing read for 25 s, then one backlog record per second, oldest first
        elapse(25);
        for (int writtenAt = 5; writtenAt <= 15; writtenAt += 5) {
            send(heartbeat("alive", TENANT), writtenAt);
            elapse(1);
        }
        assertThat(events.isEmpty()).as("the log was not read past the lease end yet").isTrue();
        send(heartbeat("alive", TENANT), 20);
        elapse(1);

        assertThat(endedOf("lost")).extracting(CallEnded::getReason).containsExactly(EndReason.EDGE_LOST);
        assertThat(active()).isEqualTo(1);
    }

    @Test
    void aStallOfThisInstanceGivesEveryEdgeAFullTimeoutAfterItToBeHeard() {
        givenEdgeHeldCalls("alive", "lost", "other");
        elapse(5, "alive", "lost", "other");

        // this instance freezes for 30 s (SIGSTOP, a long GC): one punctuation, far from the last, then the
        // heartbeats written meanwhile are read
        freeze(30);
        for (int writtenAt = 10; writtenAt <= 35; writtenAt += 5) {
            send(heartbeat("alive", TENANT), writtenAt);
            send(heartbeat("other", TENANT), writtenAt);
        }
        elapse(19, "alive", "other");
        assertThat(events.isEmpty()).isTrue();
        elapse(2, "alive", "other");

        assertThat(endedOf("lost")).extracting(CallEnded::getReason).containsExactly(EndReason.EDGE_LOST);
        assertThat(active()).isEqualTo(2);
    }

    @Test
    void aTaskThatStartsOnRestoredStateGivesEveryEdgeAFullTimeoutFromItsStart() {
        givenEdgeHeldCalls("restored", "other");
        // given the slot as a restored changelog left it: last heartbeated a minute before this task started
        KeyValueStore<String, Slot> slots = driver.getKeyValueStore(AdmissionTopology.SLOTS_STORE);
        KeyValueStore<Bytes, byte[]> expiryStore = driver.getKeyValueStore(AdmissionTopology.EXPIRY_STORE);
        Slot slot = slots.get("restored");
        long heardAt = Events.T0.minusSeconds(60).toEpochMilli();
        new ExpiryIndex(expiryStore).remove(slot.expiresAt(), "restored");
        new ExpiryIndex(expiryStore).add(heardAt + TIMEOUT.toMillis(), "restored");
        slots.put("restored", slot.heartbeated(heardAt, heardAt + TIMEOUT.toMillis()));

        elapse(19, "other");
        assertThat(events.isEmpty()).isTrue();
        elapse(2, "other");

        assertThat(endedOf("restored")).extracting(CallEnded::getReason).containsExactly(EndReason.EDGE_LOST);
    }

    @Test
    void aSlotThatNeverHeardAHeartbeatIsReclaimedAfterTheTtlWithSlotReclaimedAndCallEndedSlotExpired() {
        send(acquire("call-1", TENANT, null));
        events.readValuesToList();

        driver.advanceWallClockTime(TTL.minusSeconds(1));
        assertThat(events.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        List<CallEvent> emitted = events.readValuesToList();
        assertThat(emitted).extracting(event -> event.getPayload().getClass().getSimpleName())
                .containsExactly("SlotReclaimed", "CallEnded");
        SlotReclaimed reclaimed = (SlotReclaimed) emitted.getFirst().getPayload();
        assertThat(reclaimed.getLeaseExpiredAt()).isEqualTo(Events.T0.plus(TTL));
        assertThat(reclaimed.getCounters().getTenantActive()).isZero();
        CallEnded ended = (CallEnded) emitted.getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.SLOT_EXPIRED);
        assertThat(ended.getDetail()).contains("TELEPHONY_SEMAPHORE_TTL_SEC");
        assertThat(active()).isZero();
    }

    @Test
    void theCallEndedOfALostSlotReleasesNothingTwice() {
        givenEdgeHeldCalls("lost", "alive", "other");

        elapse(21, "alive", "other");
        elapse(5, "alive", "other");

        assertThat(endedOf("lost")).hasSize(1);
        assertThat(active()).isEqualTo(2);
        send(release("lost", TENANT, null));
        assertThat(active()).isEqualTo(2);
    }

    @Test
    void aHeartbeatForACallWithoutAHeldSlotIsAnsweredRejectedAlreadyReleasedWithItsCommandId() {
        givenEdgeHeldCalls("released", "lost", "alive");
        send(release("released", TENANT, null));
        elapse(21, "alive");

        AdmissionCommand unknown = heartbeat("never-granted", TENANT);
        AdmissionCommand afterRelease = heartbeat("released", TENANT);
        AdmissionCommand afterLoss = heartbeat("lost", TENANT);
        List.of(unknown, afterRelease, afterLoss).forEach(this::send);

        List<AdmissionDecision> answers = decisions.readValuesToList();
        assertThat(answers).extracting(AdmissionDecision::getCommandId).containsExactly(unknown.getCommandId(),
                afterRelease.getCommandId(), afterLoss.getCommandId());
        assertThat(answers).allSatisfy(answer -> assertThat(((Rejected) answer.getOutcome()).getLimit())
                .isEqualTo(AdmissionLimit.ALREADY_RELEASED));
        assertThat(answers).extracting(answer -> ((Rejected) answer.getOutcome()).getDetail()).satisfiesExactly(
                detail -> assertThat(detail).contains("never granted"),
                detail -> assertThat(detail).contains("was released at"),
                detail -> assertThat(detail).contains("EDGE_LOST"));
        assertThat(active()).isEqualTo(1);
    }

    @Test
    void lostSlotsAreFreedInBoundedBatchesPerTick() {
        int calls = AdmissionProcessor.REAP_BATCH + 100;
        for (int i = 0; i < calls; i++) {
            send(acquire("call-" + i, TENANT, null));
            send(heartbeat("call-" + i, TENANT));
        }
        send(acquire("alive", TENANT, null));
        send(heartbeat("alive", TENANT));
        events.readValuesToList();

        elapse(21, "alive");
        assertThat(events.readValuesToList()).hasSize(AdmissionProcessor.REAP_BATCH);
        elapse(1, "alive");
        assertThat(events.readValuesToList()).hasSize(100);
        assertThat(active()).isEqualTo(1);
    }
}
