package io.sipai.edge.pipeline;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sipai.edge.events.CallEventMeters;

/**
 * Latency and failures by the engines a call's pipeline uses: voice-to-voice per (asr, llm, tts) engine trio
 * ({@code edge.turn.voice_to_voice.by_engine}), vendor failures per stage and engine ({@code edge.vendor.errors};
 * a failure ends the call as ERROR), and speculative replies by brain and outcome ({@code edge.brain.speculations}:
 * confirmed, or discarded, each one a request the brain was paid for and nobody heard). Bounded: engine names are the providers' (deepgram, sphinx-grammar, openai,
 * scripted, marytts, ...), never a call's, an agent's or a tenant's. The meters are registered when a call's pipeline
 * is made, so the series exist (at zero) from the first call on. In the registry of {@link PipelineParts#meters()}:
 * Micrometer's global one, which each service's {@code /metrics} exports.
 */
final class EngineMeters {

    /** The stage of the pipeline a vendor serves. */
    enum Stage {
        ASR, LLM, TTS;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Timer voiceToVoice;
    private final Map<Stage, Counter> errors = new EnumMap<>(Stage.class);
    private final Counter speculationsConfirmed;
    private final Counter speculationsDiscarded;

    EngineMeters(String asr, String llm, String tts, MeterRegistry meters) {
        this.voiceToVoice = Timer.builder("edge.turn.voice_to_voice.by_engine")
                .description("end of the caller's speech to the first agent audio sent, by the call's engines")
                .tags("asr", asr, "llm", llm, "tts", tts).serviceLevelObjectives(CallEventMeters.TURN_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
        errors.put(Stage.ASR, errors(meters, Stage.ASR, asr));
        errors.put(Stage.LLM, errors(meters, Stage.LLM, llm));
        errors.put(Stage.TTS, errors(meters, Stage.TTS, tts));
        this.speculationsConfirmed = speculations(meters, llm, "confirmed");
        this.speculationsDiscarded = speculations(meters, llm, "discarded");
    }

    static EngineMeters of(PipelineParts parts) {
        return new EngineMeters(parts.stt().engine(), parts.brain().name(), parts.tts().name(), parts.meters());
    }

    private static Counter errors(MeterRegistry meters, Stage stage, String engine) {
        return Counter.builder("edge.vendor.errors").tags("stage", stage.label(), "engine", engine)
                .description("speech recognition, brain and synthesis failures that ended a call, by engine")
                .register(meters);
    }

    private static Counter speculations(MeterRegistry meters, String llm, String outcome) {
        return Counter.builder("edge.brain.speculations").tags("llm", llm, "outcome", outcome)
                .description("replies started before the caller's turn was over, by whether the turn's words "
                        + "confirmed them")
                .register(meters);
    }

    void speculation(boolean confirmed) {
        (confirmed ? speculationsConfirmed : speculationsDiscarded).increment();
    }

    void voiceToVoice(long nanos) {
        voiceToVoice.record(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(Stage stage) {
        errors.get(stage).increment();
    }
}
