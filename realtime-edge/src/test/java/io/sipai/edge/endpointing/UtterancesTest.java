package io.sipai.edge.endpointing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UtterancesTest {

    @ParameterizedTest
    @ValueSource(strings = {"I would like to book an appointment.", "friday at eleven", "What time do you open?",
            "no thank you", "The number is four five two seven one eight nine six three zero", "table for two",
            "yes", "Book me for Tuesday", "I was born in 1985", "It costs 100 dollars"})
    void finishedUtterancesAreComplete(String text) {
        assertThat(Utterances.complete(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "I would like to book an appointment for", "um", "and", "It is twenty",
            "my phone number is five five five", "I need to change the", "I want to,", "so...", "Well",
            "The card is one hundred", "I am calling because", "uh", "I'd", "I think", "5 5 5 1 2"})
    void wordsThatTrailOffAreNotComplete(String text) {
        assertThat(Utterances.complete(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"uh-huh", "Yeah.", "right right", "Okay, got it.", "mm-hmm", "I see", "Sure.", "mhmm",
            "thank you", "sounds good"})
    void acknowledgementsAreBackchannels(String text) {
        assertThat(Utterances.backchannel(text)).isTrue();
        assertThat(Utterances.takesTheTurn(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "wait", "yeah but not Tuesday", "okay so what about Friday",
            "No, I said Tuesday", "stop"})
    void anythingElseIsNoBackchannel(String text) {
        assertThat(Utterances.backchannel(text)).isFalse();
    }
}
