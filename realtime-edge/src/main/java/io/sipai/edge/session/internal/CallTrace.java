package io.sipai.edge.session.internal;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.sipai.common.EndReason;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.TurnTimes;
import io.sipai.events.BargeIn;
import io.sipai.events.ToolCallCompleted;
import io.sipai.runtime.tracing.CallTracing;

/**
 * The spans one live call makes on this edge, in the call's trace: {@code edge.media} for the media session (start
 * to end), and under it one {@code turn} per answered turn with its steps ({@code turn.endpointing},
 * {@code turn.asr}, {@code turn.llm}, {@code turn.tts}, {@code turn.playback}), each tool call ({@code tool <name>})
 * and each barge-in. Vendor time (recognizer, brain, synthesizer) and platform time are attributes of the turn.
 * Timestamps are the monotonic clock's, mapped once to the wall clock at the start of the call.
 */
final class CallTrace {

    static final AttributeKey<Long> TURN = AttributeKey.longKey("sipai.turn");
    static final AttributeKey<Long> VOICE_TO_VOICE_MS = AttributeKey.longKey("sipai.voice_to_voice_ms");
    static final AttributeKey<Long> VENDOR_MS = AttributeKey.longKey("sipai.vendor_ms");
    static final AttributeKey<Long> PLATFORM_MS = AttributeKey.longKey("sipai.platform_ms");

    private final CallTracing tracing;
    private final String callId;
    private final Span media;
    private final Context mediaContext;
    private final long epochMinusNanoTime;
    private final String traceparent;

    private CallTrace(CallTracing tracing, CallContext call, String node) {
        this.tracing = tracing;
        this.callId = call.callId();
        this.epochMinusNanoTime = CallTracing.epochNanos(Instant.now()) - System.nanoTime();
        this.media = tracing.span("edge.media", callId, CallTracing.callContext(callId), SpanKind.SERVER)
                .setAttribute(CallTracing.TENANT_ID, call.tenantId())
                .setAttribute("sipai.transport", call.transport().name())
                .setAttribute("sipai.direction", call.direction().name())
                .setAttribute("sipai.agent_id", String.valueOf(call.agentId()))
                .setAttribute("sipai.edge_node", node).startSpan();
        this.mediaContext = Context.root().with(media);
        this.traceparent = CallTracing.traceparent(media.getSpanContext());
    }

    static CallTrace start(CallTracing tracing, CallContext call, String node) {
        return new CallTrace(tracing, call, node);
    }

    /** The {@code traceparent} of the media span: what the call's events carry to their readers. */
    String traceparent() {
        return traceparent;
    }

    /** Spans for what an event of the call says: a tool call or a barge-in. */
    void observe(Object payload) {
        long now = epochNanos(System.nanoTime());
        switch (payload) {
            case ToolCallCompleted tool -> tracing.spanned("tool " + tool.getName(), callId, mediaContext,
                    now - TimeUnit.MILLISECONDS.toNanos(tool.getDurationMs()), now, Attributes.of(
                            AttributeKey.stringKey("sipai.tool_call_id"), tool.getToolCallId(),
                            AttributeKey.booleanKey("sipai.success"), tool.getSuccess()),
                    tool.getSuccess() ? null : String.valueOf(tool.getError()));
            case BargeIn bargeIn -> tracing.spanned("barge_in", callId, mediaContext,
                    now - TimeUnit.MILLISECONDS.toNanos(bargeIn.getReactionMs()), now,
                    Attributes.of(AttributeKey.longKey("sipai.reaction_ms"), (long) bargeIn.getReactionMs()));
            default -> {
            }
        }
    }

    /** A {@code turn} span from the end of the caller's speech to the first agent audio sent, with its steps. */
    void turn(TurnTimes t) {
        long asr = span(t.endOfTurn(), t.asrFinal());
        long llm = span(t.llmRequest(), t.llmFirstToken());
        long tts = span(t.ttsRequest(), t.ttsFirstAudio());
        long endpointing = span(t.speechEnd(), t.endOfTurn());
        long voiceToVoice = span(t.speechEnd(), t.audioSent());
        long vendor = asr + llm + tts;
        AttributesBuilder attributes = Attributes.builder().put(TURN, (long) t.turn())
                .put(VOICE_TO_VOICE_MS, voiceToVoice / 1_000_000).put(VENDOR_MS, vendor / 1_000_000)
                .put(PLATFORM_MS, Math.max(0, voiceToVoice - endpointing - vendor) / 1_000_000)
                .put(AttributeKey.longKey("sipai.endpointing_ms"), endpointing / 1_000_000);
        Span turn = tracing.span("turn", callId, mediaContext, SpanKind.INTERNAL).setAllAttributes(attributes.build())
                .setStartTimestamp(epochNanos(t.speechEnd()), TimeUnit.NANOSECONDS).startSpan();
        Context inTurn = mediaContext.with(turn);
        step("turn.endpointing", inTurn, t.speechEnd(), t.endOfTurn());
        step("turn.asr", inTurn, t.endOfTurn(), t.asrFinal());
        step("turn.llm", inTurn, t.llmRequest(), t.llmFirstToken());
        step("turn.tts", inTurn, t.ttsRequest(), t.ttsFirstAudio());
        step("turn.playback", inTurn, t.ttsFirstAudio() != 0 ? t.ttsFirstAudio() : t.llmFirstToken(),
                t.audioSent());
        turn.end(epochNanos(t.audioSent()), TimeUnit.NANOSECONDS);
    }

    /** Ends the media span with the call's end reason. */
    void end(EndReason reason) {
        media.setAttribute("sipai.end_reason", reason.name());
        media.end();
    }

    private void step(String name, Context parent, long startNanos, long endNanos) {
        if (startNanos != 0 && endNanos != 0) {
            tracing.spanned(name, callId, parent, epochNanos(startNanos), epochNanos(endNanos), Attributes.empty());
        }
    }

    private static long span(long startNanos, long endNanos) {
        return startNanos == 0 || endNanos == 0 ? 0 : Math.max(0, endNanos - startNanos);
    }

    private long epochNanos(long nanoTime) {
        return epochMinusNanoTime + nanoTime;
    }
}
