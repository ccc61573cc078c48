package io.sipai.processors.testing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sipai.common.AdmissionCounters;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.events.CallStarted;
import io.sipai.events.SlotReclaimed;
import io.sipai.processors.timeline.TimelineOptions;
import io.sipai.processors.timeline.internal.TimelineTopology;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The timeline topology on a {@link TopologyTestDriver} for one call, fed the way the services write its events:
 * each event with its source and the second (after {@link Events#T0}) it happened at.
 */
public final class TimelineHarness implements AutoCloseable {

    public static final String CALL = "call-1";
    public static final String TENANT = "t1";
    public static final AdmissionCounters COUNTERS = AdmissionCounters.newBuilder().setGlobalActive(1)
            .setGlobalLimit(10).setTenantActive(1).setTenantLimit(10).build();

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, CallEvent> events;
    private final TestOutputTopic<String, CallTimeline> timelines;
    private final TestOutputTopic<String, TimelineEntry> entries;
    private final TestOutputTopic<String, QuarantinedRecord> quarantine;

    public TimelineHarness(String applicationId) {
        driver = Drivers.driver(TimelineTopology.build(), applicationId);
        events = Drivers.input(driver, Topics.CALL_EVENTS);
        timelines = Drivers.output(driver, Topics.CALL_TIMELINE);
        entries = Drivers.output(driver, Topics.CALL_TIMELINE_ENTRIES);
        quarantine = Drivers.output(driver, Topics.CALL_QUARANTINE);
    }

    /** Writes an event of the call from {@code source}, as happened {@code second} seconds after T0. */
    public CallEvent write(EventSource source, int second, Object payload) {
        CallEvent event = CallEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCallId(CALL)
                .setTenantId(TENANT).setOccurredAt(at(second)).setSource(source).setPayload(payload).build();
        events.pipeInput(CALL, event);
        return event;
    }

    public static Instant at(int second) {
        return Events.T0.plusSeconds(second);
    }

    public static CallRequested requested(CallDirection direction, Transport transport) {
        return CallRequested.newBuilder(Events.requested()).setDirection(direction).setTransport(transport).build();
    }

    public static CallAdmitted admitted() {
        return CallAdmitted.newBuilder().setCounters(COUNTERS).setLeaseExpiresAt(Events.T0.plusSeconds(600)).build();
    }

    public static CallStarted started(CallDirection direction, Transport transport) {
        return CallStarted.newBuilder().setDirection(direction).setTransport(transport).build();
    }

    public static CallEnded ended(EndReason reason, String detail, long durationMs) {
        return CallEnded.newBuilder().setReason(reason).setDetail(detail).setDurationMs(durationMs).build();
    }

    public static SlotReclaimed reclaimed() {
        return SlotReclaimed.newBuilder().setLastHeartbeatAt(Events.T0).setLeaseExpiredAt(Events.T0.plusSeconds(600))
                .setCounters(COUNTERS).build();
    }

    /** The event types of the entries written since the last call. */
    public List<String> entryTypes() {
        return entries.readValuesToList().stream().map(TimelineEntry::getEventType).toList();
    }

    /** The entries written since the last call. */
    public List<TimelineEntry> entries() {
        return entries.readValuesToList();
    }

    /** The quarantine reasons given since the last call. */
    public List<QuarantineReason> quarantined() {
        return quarantine.readValuesToList().stream().map(QuarantinedRecord::getReasonCode).toList();
    }

    /** The quarantined records since the last call. */
    public List<QuarantinedRecord> quarantinedRecords() {
        return quarantine.readValuesToList();
    }

    /** The last summary published, after one summary interval passed on the wall clock. */
    public CallTimeline summary() {
        driver.advanceWallClockTime(TimelineOptions.defaults().summaryInterval());
        return timelines.readValuesToList().getLast();
    }

    @Override
    public void close() {
        driver.close();
    }
}
