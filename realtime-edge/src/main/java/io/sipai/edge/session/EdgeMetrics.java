package io.sipai.edge.session;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The edge's per-frame meters, created once: frame handling time (receipt of a media message to the pipeline having
 * handled it, echo included), throttled and dropped frames, slow readers closed.
 */
public final class EdgeMetrics {

    private final Timer frameHandling;
    private final Counter throttledFrames;
    private final Counter outboundDropped;
    private final Counter slowReaders;

    public EdgeMetrics(MeterRegistry meters) {
        this.frameHandling = Timer.builder("edge.frame.handling")
                .description("receipt of an inbound audio message until the pipeline handled it")
                .publishPercentiles(0.5, 0.99, 0.999).publishPercentileHistogram(false)
                .distributionStatisticExpiry(Duration.ofMinutes(1)).register(meters);
        this.throttledFrames = Counter.builder("edge.audio.throttled")
                .description("inbound audio chunks dropped because a client sent faster than real time")
                .register(meters);
        this.outboundDropped = Counter.builder("edge.audio.outbound.dropped")
                .description("outbound messages dropped because a client's buffer was full").register(meters);
        this.slowReaders = Counter.builder("edge.slow.readers")
                .description("connections closed with 1008 because the client stopped reading").register(meters);
    }

    public Timer frameHandling() {
        return frameHandling;
    }

    public Counter throttledFrames() {
        return throttledFrames;
    }

    public Counter outboundDropped() {
        return outboundDropped;
    }

    public Counter slowReaders() {
        return slowReaders;
    }
}
