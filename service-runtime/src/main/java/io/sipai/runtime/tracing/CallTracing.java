package io.sipai.runtime.tracing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.sipai.runtime.tracing.internal.CallIds;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

/**
 * One trace per call, across every service. A call's trace id is derived from its call id (the first 16 bytes of
 * SHA-256 of {@code "sipai.call/" + callId}), and so is the span id of its root span {@code call}, which the
 * timeline exports once the call has ended: any service that knows a call id can put its spans in the call's trace
 * without being told, and an operator goes from a call id to its trace with {@link #traceId} (the REST API shows it
 * as {@code traceId}). Across Kafka the W3C {@code traceparent} header names the span that wrote a record, so the
 * reader's span becomes its child; a record without one is parented to the call's root.
 *
 * <p>Off unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set ({@link TracingSettings}); off, {@link #on()} is false,
 * the tracer is OpenTelemetry's no-op one and callers skip the work of describing spans. On, spans are batched and
 * exported over OTLP/HTTP off the calling thread every second; a full queue drops spans, never work. Thread-safe.
 */
public final class CallTracing implements AutoCloseable {

    /** The W3C trace-context header, on Kafka records as on HTTP requests. */
    public static final String TRACEPARENT = "traceparent";
    /** The call id on every span of a call. */
    public static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("sipai.call_id");
    /** The tenant of the call. */
    public static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("sipai.tenant_id");
    /** The MDC key of the call id on the log lines written while serving a call. */
    public static final String CALL_ID_MDC = "callId";
    /** The name of the root span of every call. */
    public static final String ROOT_SPAN = "call";

    private static final String INSTRUMENTATION = "io.sipai";
    /** How often spans are sent (OpenTelemetry's default is 5 s): a call's trace is complete a second after it. */
    private static final Duration EXPORT_EVERY = Duration.ofSeconds(1);
    private static final HexFormat HEX = HexFormat.of();
    private static final CallTracing OFF = new CallTracing(null, OpenTelemetry.noop().getTracer(INSTRUMENTATION));

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private CallTracing(SdkTracerProvider provider, Tracer tracer) {
        this.provider = provider;
        this.tracer = tracer;
    }

    /** Tracing off: nothing is made or sent. */
    public static CallTracing off() {
        return OFF;
    }

    /** Tracing as {@code settings} say, for the service {@code serviceName}. */
    public static CallTracing of(TracingSettings settings, String serviceName) {
        if (!settings.on()) {
            return OFF;
        }
        return exportingTo(OtlpHttpSpanExporter.builder().setEndpoint(settings.tracesUrl())
                .setTimeout(settings.exportTimeout()).build(), serviceName);
    }

    /** Tracing on, exporting to {@code exporter} in batches (tests give an in-memory one). */
    public static CallTracing exportingTo(SpanExporter exporter, String serviceName) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), serviceName))))
                .setIdGenerator(new CallIds())
                .setSampler(Sampler.alwaysOn())
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(EXPORT_EVERY).build())
                .build();
        return new CallTracing(provider, provider.get(INSTRUMENTATION));
    }

    /** Whether spans are made; callers skip describing them when not. */
    public boolean on() {
        return provider != null;
    }

    /** The call's trace id (32 hex digits). */
    public static String traceId(String callId) {
        return HEX.formatHex(digest(callId), 0, 16);
    }

    /** The span id (16 hex digits) of the call's root span. */
    static String rootSpanId(String callId) {
        return spanId(digest(callId), 16);
    }

    /** The span id of the timeline's span of event {@code eventId} of the call. */
    static String eventSpanId(String callId, String eventId) {
        return spanId(digest(callId + "/" + eventId), 0);
    }

    private static String spanId(byte[] digest, int from) {
        digest[from + 7] |= 1;
        return HEX.formatHex(digest, from, from + 8);
    }

    /**
     * A context whose parent is the timeline's span of event {@code eventId}: what a reader that no longer has the
     * event's record headers (a delivery queued in a state store) continues.
     */
    public static Context eventContext(String callId, String eventId) {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(traceId(callId),
                eventSpanId(callId, eventId), TraceFlags.getSampled(), TraceState.getDefault())));
    }

    /** Starts the span of event {@code eventId} of the call under {@code parent}, with its derived span id. */
    public Span startEventSpan(String name, String callId, String eventId, Context parent, SpanKind kind) {
        SpanBuilder builder = span(name, callId, parent, kind);
        return on() ? CallIds.forced(traceId(callId), eventSpanId(callId, eventId), builder::startSpan)
                : builder.startSpan();
    }

    /** A context whose parent span is the call's root. */
    public static Context callContext(String callId) {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(traceId(callId),
                rootSpanId(callId), TraceFlags.getSampled(), TraceState.getDefault())));
    }

    /** The current span when it belongs to the call's trace (a request being served for it), else the call's root. */
    public static Context currentOr(String callId) {
        SpanContext current = Span.current().getSpanContext();
        return current.isValid() && current.getTraceId().equals(traceId(callId)) ? Context.current()
                : callContext(callId);
    }

    /**
     * The parent a reader of a Kafka record of call {@code callId} continues: the span its {@code traceparent}
     * names when that span is in the call's trace, else the call's root.
     */
    public static Context parentOf(Headers headers, String callId) {
        Header header = headers == null ? null : headers.lastHeader(TRACEPARENT);
        SpanContext named = header == null || header.value() == null ? null
                : Traceparent.parse(new String(header.value(), StandardCharsets.US_ASCII));
        if (named == null || !named.getTraceId().equals(traceId(callId))) {
            return callContext(callId);
        }
        return Context.root().with(Span.wrap(named));
    }

    /** Writes (or replaces) the {@code traceparent} header naming {@code span}. */
    public static void inject(Headers headers, SpanContext span) {
        headers.remove(TRACEPARENT);
        headers.add(TRACEPARENT, traceparent(span).getBytes(StandardCharsets.US_ASCII));
    }

    /** The {@code traceparent} value naming {@code span}. */
    public static String traceparent(SpanContext span) {
        return Traceparent.format(span);
    }

    /** An instant as the epoch nanoseconds spans take. */
    public static long epochNanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /** A span of call {@code callId} under {@code parent}, with the call id on it; the caller starts it. */
    public SpanBuilder span(String name, String callId, Context parent, SpanKind kind) {
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(kind).setAttribute(CALL_ID, callId);
    }

    /** A span that already happened, from {@code start} to {@code end} (epoch nanoseconds), under {@code parent}. */
    public Span spanned(String name, String callId, Context parent, long startEpochNanos, long endEpochNanos,
                        Attributes attributes) {
        return spanned(name, callId, parent, startEpochNanos, endEpochNanos, attributes, null);
    }

    /** As above, marked failed with {@code error} when it is not null. */
    public Span spanned(String name, String callId, Context parent, long startEpochNanos, long endEpochNanos,
                        Attributes attributes, String error) {
        Span span = span(name, callId, parent, SpanKind.INTERNAL).setAllAttributes(attributes)
                .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS).startSpan();
        if (error != null) {
            span.setStatus(StatusCode.ERROR, error);
        }
        span.end(Math.max(startEpochNanos, endEpochNanos), TimeUnit.NANOSECONDS);
        return span;
    }

    /**
     * Runs {@code body} as work for the call: its log lines carry the call id ({@value #CALL_ID_MDC} in the MDC),
     * and with tracing on it runs inside a new span of the call (under the current span when it is the call's, else
     * the call's root), current while it runs so the spans and Kafka records it makes are its children; a failure is
     * recorded on it.
     */
    public <T> T inSpan(String name, String callId, SpanKind kind, Supplier<T> body) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(CALL_ID_MDC, callId)) {
            if (!on()) {
                return body.get();
            }
            Span span = span(name, callId, currentOr(callId), kind).startSpan();
            try (Scope scope = span.makeCurrent()) {
                return body.get();
            } catch (RuntimeException e) {
                span.recordException(e).setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
                throw e;
            } finally {
                span.end();
            }
        }
    }

    /** Runs {@code work} with the call id in the MDC, so the log lines it writes name the call. */
    public static void withCallId(String callId, Runnable work) {
        if (callId == null) {
            work.run();
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(CALL_ID_MDC, callId)) {
            work.run();
        }
    }

    /**
     * Exports the call's root span ({@value #ROOT_SPAN}, from {@code start} to {@code end}) with the ids derived
     * from the call id, so the spans every service made under {@link #callContext} hang from it.
     */
    public void exportRoot(String callId, String tenantId, Instant start, Instant end, Attributes attributes) {
        if (!on()) {
            return;
        }
        Span root = CallIds.forced(traceId(callId), rootSpanId(callId), () -> tracer.spanBuilder(ROOT_SPAN)
                .setNoParent().setSpanKind(SpanKind.SERVER).setAttribute(CALL_ID, callId)
                .setAttribute(TENANT_ID, tenantId).setAllAttributes(attributes).setStartTimestamp(start).startSpan());
        root.end(end.isBefore(start) ? start : end);
    }

    /** Sends what is queued (tests and shutdown). */
    public void flush() {
        if (provider != null) {
            provider.forceFlush().join(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] digest(String callId) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("sipai.call/" + callId)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
