package io.sipai.gateway.traces;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's own small trace store, for a deployment without a tracing backend (the one-machine run turns it on
 * and points every service's {@code OTEL_EXPORTER_OTLP_ENDPOINT} at it): the services' spans are kept in memory and
 * the console shows a call's trace as a waterfall.
 *
 * @param receiver {@code API_TRACES_RECEIVER} accept OTLP/HTTP spans at {@code POST /otlp/v1/traces}, from
 *                 loopback only, and serve them at {@code GET /v1/calls/{id}/trace} (default false: production
 *                 sends spans to a real backend such as Tempo or Jaeger)
 * @param maxCalls {@code API_TRACES_MAX_CALLS} how many calls' traces are kept, the oldest forgotten first (default
 *                 500; at most 5,000 spans per call)
 */
@ConfigurationProperties("api.traces")
public record TraceViewSettings(Boolean receiver, Integer maxCalls) {

    /** Where the receiver takes spans. */
    public static final String RECEIVER_PATH = "/otlp/v1/traces";
    /** The largest batch it takes: 512 spans with their attributes, with room to spare. */
    public static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    public TraceViewSettings {
        receiver = receiver != null && receiver;
        maxCalls = maxCalls == null ? 500 : maxCalls;
        if (maxCalls < 1 || maxCalls > 100_000) {
            throw new InvalidSettingException("API_TRACES_MAX_CALLS", "must be between 1 and 100000, was " + maxCalls);
        }
    }
}
