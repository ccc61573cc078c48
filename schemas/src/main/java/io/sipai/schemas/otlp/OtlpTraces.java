package io.sipai.schemas.otlp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} (protobuf, as OpenTelemetry's exporters post it to
 * {@code /v1/traces}) into its spans: the fields a trace view and the tests need (ids, names, times, string, bool,
 * int and double attributes, status), each span with its resource's {@code service.name}. Unknown fields are skipped.
 */
public final class OtlpTraces {

    private static final HexFormat HEX = HexFormat.of();

    private OtlpTraces() {
    }

    /** The spans of one request body; throws IllegalArgumentException when it is not a well-formed message. */
    public static List<OtlpSpan> decode(byte[] body) {
        try {
            return decode(new ProtoReader(body));
        } catch (RuntimeException e) {
            // Truncated or made-up lengths: an index out of bounds, a negative size, a wire type that does not exist.
            throw new IllegalArgumentException("not a well-formed OTLP trace request: " + e.getMessage(), e);
        }
    }

    /** ExportTraceServiceRequest: repeated ResourceSpans resource_spans = 1. */
    private static List<OtlpSpan> decode(ProtoReader request) {
        List<OtlpSpan> spans = new ArrayList<>();
        while (request.next()) {
            if (request.field() == 1) {
                decodeResourceSpans(request.message(), spans);
            } else {
                request.skip();
            }
        }
        return spans;
    }

    /** ResourceSpans: Resource resource = 1 (attributes = 1), repeated ScopeSpans scope_spans = 2 (spans = 2). */
    private static void decodeResourceSpans(ProtoReader resourceSpans, List<OtlpSpan> spans) {
        String service = null;
        List<ProtoReader> scopes = new ArrayList<>();
        while (resourceSpans.next()) {
            switch (resourceSpans.field()) {
                case 1 -> {
                    ProtoReader resource = resourceSpans.message();
                    Map<String, Object> attributes = new HashMap<>();
                    while (resource.next()) {
                        if (resource.field() == 1) {
                            keyValue(resource.message(), attributes);
                        } else {
                            resource.skip();
                        }
                    }
                    service = (String) attributes.get("service.name");
                }
                case 2 -> scopes.add(resourceSpans.message());
                default -> resourceSpans.skip();
            }
        }
        for (ProtoReader scope : scopes) {
            while (scope.next()) {
                if (scope.field() == 2) {
                    spans.add(span(service, scope.message()));
                } else {
                    scope.skip();
                }
            }
        }
    }

    /** Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, start 7, end 8, attributes 9, status 15. */
    private static OtlpSpan span(String service, ProtoReader span) {
        String traceId = null;
        String spanId = null;
        String parent = null;
        String name = null;
        int kind = 0;
        long start = 0;
        long end = 0;
        int status = 0;
        Map<String, Object> attributes = new HashMap<>();
        while (span.next()) {
            switch (span.field()) {
                case 1 -> traceId = HEX.formatHex(span.bytes());
                case 2 -> spanId = HEX.formatHex(span.bytes());
                case 4 -> {
                    byte[] id = span.bytes();
                    parent = id.length == 0 ? null : HEX.formatHex(id);
                }
                case 5 -> name = span.string();
                case 6 -> kind = (int) span.varint();
                case 7 -> start = span.fixed64();
                case 8 -> end = span.fixed64();
                case 9 -> keyValue(span.message(), attributes);
                case 15 -> {
                    ProtoReader statusMessage = span.message();
                    while (statusMessage.next()) {
                        if (statusMessage.field() == 3) {
                            status = (int) statusMessage.varint();
                        } else {
                            statusMessage.skip();
                        }
                    }
                }
                default -> span.skip();
            }
        }
        return new OtlpSpan(service, traceId, spanId, parent, name, kind, start, end, Map.copyOf(attributes),
                status);
    }

    /** KeyValue: key 1, AnyValue value 2 (string 1, bool 2, int 3, double 4). */
    private static void keyValue(ProtoReader keyValue, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (keyValue.next()) {
            if (keyValue.field() == 1) {
                key = keyValue.string();
            } else if (keyValue.field() == 2) {
                ProtoReader any = keyValue.message();
                while (any.next()) {
                    switch (any.field()) {
                        case 1 -> value = any.string();
                        case 2 -> value = any.varint() != 0;
                        case 3 -> value = any.varint();
                        case 4 -> value = Double.longBitsToDouble(any.fixed64());
                        default -> any.skip();
                    }
                }
            } else {
                keyValue.skip();
            }
        }
        if (key != null && value != null) {
            into.put(key, value);
        }
    }

}
