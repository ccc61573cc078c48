package io.sipai.gateway.projection.internal;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.runtime.kafka.ConsumerLoop;

/**
 * The projection's lag meters, which alert rules use: {@code sipai.projection.lag.records} (records on the projected
 * topics not yet in PostgreSQL, as of the last handled batch) and {@code sipai.projection.lag.ms} (while records are
 * behind: the age of the last projected record; 0 when caught up).
 */
public final class ProjectionLag {

    private ProjectionLag() {
    }

    /** Registers both gauges for the projection's loop and handler. */
    public static void register(MeterRegistry meters, ConsumerLoop loop, ProjectionHandler handler, Clock clock) {
        Gauge.builder("sipai.projection.lag.records", loop, ConsumerLoop::lag)
                .description("Records on the projected topics not yet in PostgreSQL").register(meters);
        Gauge.builder("sipai.projection.lag.ms", loop, projection -> millis(projection, handler, clock))
                .description("Age of the last projected record").register(meters);
    }

    private static double millis(ConsumerLoop loop, ProjectionHandler handler, Clock clock) {
        long last = handler.lastRecordTimestamp();
        return last < 0 || loop.lag() == 0 ? 0 : Math.max(0, clock.millis() - last);
    }
}
