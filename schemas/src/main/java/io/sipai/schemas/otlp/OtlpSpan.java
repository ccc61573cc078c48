package io.sipai.schemas.otlp;

import java.util.Map;

/**
 * One span as an OTLP exporter sent it. Ids are lower-case hex; the parent is null for a root; times are epoch
 * nanoseconds; {@code statusCode} is OTLP's (0 unset, 1 ok, 2 error).
 */
public record OtlpSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                       long startEpochNanos, long endEpochNanos, Map<String, Object> attributes, int statusCode) {

    public Object attribute(String key) {
        return attributes.get(key);
    }
}
