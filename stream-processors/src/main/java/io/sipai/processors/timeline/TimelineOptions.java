package io.sipai.processors.timeline;

import java.time.Duration;
import java.util.Objects;

/**
 * How the timeline keeps and publishes state.
 *
 * @param retention        how long an ended (or rejected) call's summary stays in the store after its end, so a late
 *                         event is still quarantined as {@code AFTER_END}; afterwards the call is forgotten and a
 *                         later event for it is {@code UNKNOWN_CALL} ({@code PROCESSORS_TIMELINE_RETENTION}, 24 h)
 * @param dedupeRetention  how long an ended call's eventIds (the dedupe keys) are kept after its end; a retry of an
 *                         applied event later than this is quarantined as {@code AFTER_END} instead of being dropped
 *                         silently ({@code PROCESSORS_TIMELINE_DEDUPE_RETENTION}, 1 h; at most {@code retention})
 * @param summaryInterval  how often changed summaries are published: a call's summary is written to
 *                         {@code call.timeline.v1} once per interval however many of its events were applied
 */
public record TimelineOptions(Duration retention, Duration dedupeRetention, Duration summaryInterval) {

    public TimelineOptions {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(dedupeRetention, "dedupeRetention");
        Objects.requireNonNull(summaryInterval, "summaryInterval");
        if (dedupeRetention.compareTo(retention) > 0) {
            throw new IllegalArgumentException("dedupeRetention " + dedupeRetention + " exceeds retention "
                    + retention);
        }
        if (summaryInterval.isNegative() || summaryInterval.isZero()) {
            throw new IllegalArgumentException("summaryInterval must be positive, was " + summaryInterval);
        }
    }

    /** 24 h retention, 1 h dedupe retention, summaries every 50 ms. */
    public static TimelineOptions defaults() {
        return new TimelineOptions(Duration.ofHours(24), Duration.ofHours(1), Duration.ofMillis(50));
    }
}
