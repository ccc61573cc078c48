package io.sipai.runtime.tracing;

import java.util.regex.Pattern;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/** The W3C {@code traceparent} value ({@code 00-<trace id>-<span id>-<flags>}), written and read. */
final class Traceparent {

    private static final Pattern VALUE = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private Traceparent() {
    }

    static String format(SpanContext span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** The remote span a value names, or null when it is not a valid version-00 value. */
    static SpanContext parse(String value) {
        if (value == null || !VALUE.matcher(value).matches()) {
            return null;
        }
        SpanContext span = SpanContext.createFromRemoteParent(value.substring(3, 35), value.substring(36, 52),
                TraceFlags.fromHex(value, 53), TraceState.getDefault());
        return span.isValid() ? span : null;
    }
}
