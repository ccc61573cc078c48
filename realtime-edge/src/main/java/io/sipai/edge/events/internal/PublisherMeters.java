package io.sipai.edge.events.internal;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The call event publisher's meters: {@code edge.events.dropped} (never written: queue overflow, a record the broker
 * refuses for good, unsent at shutdown without a journal), {@code edge.events.failed} (failed writes, retried),
 * {@code edge.events.replayed} (sent again from the journal at start), {@code edge.events.unjournaled} (kept in
 * memory only: journal full), and the gauges {@code edge.events.queued}, {@code edge.events.unacknowledged} and,
 * with a journal, {@code edge.journal.bytes}.
 */
public record PublisherMeters(Counter dropped, Counter failed, Counter replayed, Counter unjournaled) {

    /** Registers the meters; {@code journal} may be null. */
    public static PublisherMeters register(MeterRegistry meters, Supplier<Number> queued,
                                           Supplier<Number> unacknowledged, EventJournal journal) {
        Gauge.builder("edge.events.queued", queued).description("call events waiting for the producer")
                .register(meters);
        Gauge.builder("edge.events.unacknowledged", unacknowledged)
                .description("call events not yet acknowledged by the broker").register(meters);
        if (journal != null) {
            Gauge.builder("edge.journal.bytes", journal, EventJournal::diskBytes)
                    .description("disk used by the event journal").register(meters);
        }
        return new PublisherMeters(counter(meters, "edge.events.dropped", "call events that will never be written"),
                counter(meters, "edge.events.failed", "failed writes of call events (retried)"),
                counter(meters, "edge.events.replayed", "call events re-sent from the journal at start"),
                counter(meters, "edge.events.unjournaled", "call events kept in memory only"));
    }

    private static Counter counter(MeterRegistry meters, String name, String description) {
        return Counter.builder(name).description(description).register(meters);
    }
}
