package io.sipai.edge.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.common.EndReason;
import io.sipai.events.TurnMetrics;
import io.sipai.testing.events.Events;
import org.junit.jupiter.api.Test;

/** The edge's call meters count what the events they see say, and only that. */
class CallEventMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CallEventMeters meters = new CallEventMeters(registry);

    @Test
    void aTurnsLatenciesLandInTheirHistogramsAndAStageThatDidNotRunInNone() {
        // given
        TurnMetrics turn = TurnMetrics.newBuilder().setTurn(1).setAsrFinalMs(120L).setLlmFirstTokenMs(null)
                .setTtsFirstByteMs(80L).setVoiceToVoiceMs(640L).build();

        // when
        meters.observe(Events.eventNow("c-1", "acme", turn));

        // then
        var voiceToVoice = registry.get("edge.turn.voice_to_voice").timer();
        assertThat(voiceToVoice.count()).isEqualTo(1);
        assertThat(voiceToVoice.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(640.0);
        assertThat(Arrays.stream(voiceToVoice.takeSnapshot().histogramCounts())
                .filter(bucket -> bucket.bucket(TimeUnit.MILLISECONDS) == 750.0)
                .mapToDouble(CountAtBucket::count)).containsExactly(1.0);
        assertThat(registry.get("edge.turn.asr_final").timer().count()).isEqualTo(1);
        assertThat(registry.get("edge.turn.llm_first_token").timer().count()).isZero();
    }

    @Test
    void bargeInsAndEndsAreCountedEndsByReason() {
        // when
        meters.observe(Events.eventNow("c-1", "acme", Events.bargeIn()));
        meters.observe(Events.eventNow("c-1", "acme", Events.ended(EndReason.EDGE_LOST)));
        meters.observe(Events.eventNow("c-2", "acme", Events.dtmf("1")));

        // then
        assertThat(registry.get("edge.barge_ins").counter().count()).isEqualTo(1);
        assertThat(registry.get("edge.calls.ended").tag("reason", "edge_lost").counter().count()).isEqualTo(1);
        assertThat(registry.get("edge.calls.ended").tag("reason", "caller_hangup").counter().count()).isZero();
    }
}
