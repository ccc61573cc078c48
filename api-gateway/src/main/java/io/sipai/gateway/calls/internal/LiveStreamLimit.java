package io.sipai.gateway.calls.internal;

import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.gateway.calls.EventStreamSettings;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import org.springframework.stereotype.Component;

/** How many live streams (of one call or of a tenant's calls) this instance holds open, against their maximum. */
@Component
class LiveStreamLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    LiveStreamLimit(EventStreamSettings settings) {
        this.max = settings.eventsMaxStreams();
    }

    /** Takes a place for a new stream; 503 too-many-streams when every place is taken. */
    void acquire() {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            throw new ApiException(ProblemType.TOO_MANY_STREAMS, "this instance serves " + max
                    + " live streams; try again shortly");
        }
    }

    void release() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }
}
