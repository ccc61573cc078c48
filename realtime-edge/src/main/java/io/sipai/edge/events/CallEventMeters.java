package io.sipai.edge.events;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sipai.common.EndReason;
import io.sipai.events.BargeIn;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.TurnMetrics;

/**
 * What operators ask of the calls an edge carries, measured from the events it writes (so the figures are the
 * timeline's own): per-turn latency histograms from TurnMetrics (voice-to-voice, and the speech recognizer's, the
 * brain's and the synthesizer's share of it), barge-ins, and ended calls by reason. No per-call or per-tenant labels:
 * every series here is bounded. Thread-safe.
 */
public final class CallEventMeters {

    /** Bucket bounds of the turn histograms: where a voice agent's latency is judged. */
    public static final Duration[] TURN_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofMillis(1000),
            Duration.ofMillis(1500), Duration.ofMillis(2000), Duration.ofMillis(3000), Duration.ofMillis(5000)};

    private final Timer voiceToVoice;
    private final Timer asrFinal;
    private final Timer llmFirstToken;
    private final Timer ttsFirstByte;
    private final Counter bargeIns;
    private final Map<EndReason, Counter> ended = new EnumMap<>(EndReason.class);

    public CallEventMeters(MeterRegistry meters) {
        this.voiceToVoice = turnTimer(meters, "edge.turn.voice_to_voice",
                "end of the caller's speech to the first agent audio sent to the caller");
        this.asrFinal = turnTimer(meters, "edge.turn.asr_final", "end of the caller's speech to the final transcript");
        this.llmFirstToken = turnTimer(meters, "edge.turn.llm_first_token", "request to the brain to its first token");
        this.ttsFirstByte = turnTimer(meters, "edge.turn.tts_first_byte",
                "request to the synthesizer to its first audio");
        this.bargeIns = Counter.builder("edge.barge_ins").description("caller speech that cut the agent off")
                .register(meters);
        for (EndReason reason : EndReason.values()) {
            ended.put(reason, Counter.builder("edge.calls.ended").tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("calls this edge ended, by reason").register(meters));
        }
    }

    private static Timer turnTimer(MeterRegistry meters, String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(TURN_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
    }

    /** Counts what the event says, if anything. */
    public void observe(CallEvent event) {
        switch (event.getPayload()) {
            case TurnMetrics turn -> {
                record(voiceToVoice, turn.getVoiceToVoiceMs());
                record(asrFinal, turn.getAsrFinalMs());
                record(llmFirstToken, turn.getLlmFirstTokenMs());
                record(ttsFirstByte, turn.getTtsFirstByteMs());
            }
            case BargeIn ignored -> bargeIns.increment();
            case CallEnded end -> ended.get(end.getReason()).increment();
            default -> {
            }
        }
    }

    private static void record(Timer timer, Long millis) {
        if (millis != null && millis >= 0) {
            timer.record(millis, TimeUnit.MILLISECONDS);
        }
    }
}
