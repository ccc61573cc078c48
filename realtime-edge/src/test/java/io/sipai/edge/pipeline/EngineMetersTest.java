package io.sipai.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Latency and vendor failures by the engines of a call, with no per-call labels. */
class EngineMetersTest {

    @Test
    void givenACallsEngines_whenATurnIsAnsweredAndTheBrainFails_thenTheSeriesCarryTheEnginesAndNothingElse() {
        // given: the meters of a call on Deepgram, OpenAI and Deepgram, at zero from the start
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EngineMeters engines = new EngineMeters("deepgram", "openai", "deepgram", meters);
        assertThat(meters.get("edge.vendor.errors").tags("stage", "llm", "engine", "openai").counter().count())
                .isZero();
        // when
        engines.voiceToVoice(TimeUnit.MILLISECONDS.toNanos(480));
        engines.failed(EngineMeters.Stage.LLM);
        // then
        assertThat(meters.get("edge.turn.voice_to_voice.by_engine").tags("asr", "deepgram", "llm", "openai", "tts",
                "deepgram").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(480.0);
        assertThat(meters.get("edge.vendor.errors").tags("stage", "llm", "engine", "openai").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("edge.vendor.errors").tags("stage", "asr").counter().count()).isZero();
        assertThat(meters.getMeters()).filteredOn(meter -> meter.getId().getName().startsWith("edge."))
                .allSatisfy(meter -> assertThat(meter.getId().getTags())
                        .allSatisfy(tag -> assertThat(tag.getKey()).isIn("asr", "llm", "tts", "stage", "engine", "outcome", "le")));
    }
}
