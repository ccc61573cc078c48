package io.sipai.edge.pipeline.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.edge.pipeline.VoiceSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge's startup warm-up drives the real pipeline, turns warm when done, and leaves nothing behind it. */
class PipelineWarmUpTest {

    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final ExecutorService actors = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
        actors.shutdownNow();
    }

    @Test
    void givenSyntheticCalls_whenTheyTakeTurns_thenEachTurnIsAnsweredAndEveryOtherIsInterruptedByABargeIn()
            throws InterruptedException {
        // given
        StandInVendors vendors = new StandInVendors(timers, 20, 30, 10, 500);
        List<SyntheticCalls.Turn> turns = new CopyOnWriteArrayList<>();
        // when
        int failed;
        try (SyntheticCalls calls = new SyntheticCalls(vendors, timers, actors, VoiceSettings.defaults(),
                new SimpleMeterRegistry())) {
            failed = calls.run(3, 2, 50, turns::add);
        }
        // then
        assertThat(failed).isZero();
        assertThat(turns).hasSize(6);
        assertThat(turns).allSatisfy(turn -> assertThat(turn.firstAudioNanos() - turn.speechEndNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(vendors.totalMs()).toNanos()));
        assertThat(turns).filteredOn(turn -> turn.index() == 1).hasSize(3).allSatisfy(turn -> assertThat(
                turn.clearNanos()).isGreaterThan(turn.bargeInNanos()).isNotZero());
        assertThat(turns).filteredOn(turn -> turn.index() == 0).allSatisfy(turn -> assertThat(turn.bargeInNanos())
                .isZero());
    }

    @Test
    void givenAWarmUp_whenStarted_thenItTurnsWarmWithoutTouchingTheServicesMeters() {
        // when
        try (PipelineWarmUp warmUp = new PipelineWarmUp(4, timers, actors, VoiceSettings.defaults()).start()) {
            // then
            assertThat(warmUp.warm()).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(warmUp::warm);
        }
        // (by tag: calls of other tests in this JVM may register their own engines' series meanwhile)
        for (String stage : List.of("asr", "llm", "tts")) {
            assertThat(Metrics.globalRegistry.find("edge.turn.voice_to_voice.by_engine").tag(stage, "stand-in")
                    .timers()).as(stage).isEmpty();
        }
    }

    @Test
    void givenNoWarmUpCalls_whenStarted_thenItIsWarmAtOnce() {
        // when
        try (PipelineWarmUp warmUp = new PipelineWarmUp(0, timers, actors, VoiceSettings.defaults()).start()) {
            // then
            assertThat(warmUp.warm()).isTrue();
        }
    }
}
