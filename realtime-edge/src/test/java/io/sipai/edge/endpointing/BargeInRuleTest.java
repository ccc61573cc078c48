package io.sipai.edge.endpointing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BargeInRuleTest {

    private final BargeInRule rule = new BargeInRule(200, 800);

    @Test
    void speechShorterThanTheMinimumWaitsForIt() {
        assertThat(rule.moreMs(60, true)).isEqualTo(140);
    }

    @Test
    void speechThatMayStillBeABackchannelWaitsForTheWindowUnlessItsWordsTakeTheTurn() {
        assertThat(rule.moreMs(200, false)).isEqualTo(600);
        assertThat(rule.moreMs(200, true)).isZero();
    }

    @Test
    void speechThatOutlastsTheWindowInterrupts() {
        assertThat(rule.moreMs(800, false)).isZero();
    }

    @Test
    void withoutAWindowTheMinimumSpeechInterrupts() {
        assertThat(new BargeInRule(200, 0).moreMs(200, false)).isZero();
    }
}
