package io.sipai.edge.endpointing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipai.edge.endpointing.EndOfTurn.Step;
import org.junit.jupiter.api.Test;

class EndOfTurnTest {

    private final EndOfTurn endOfTurn = new EndOfTurn();

    @Test
    void givenAFinishedUtterance_whenTheCallerPauses_thenTheTurnEndsAtThePause() {
        // given
        endOfTurn.speechStarted();

        // when the caller pauses, the recognizer is asked for the words so far, and they are finished
        assertThat(endOfTurn.speechPaused()).isEqualTo(Step.FINALIZE);
        assertThat(endOfTurn.fin("I would like to book an appointment", true)).isEqualTo(Step.END);

        // then
        assertThat(endOfTurn.endedAtPause()).isTrue();
        assertThat(endOfTurn.take()).isEqualTo("I would like to book an appointment");
    }

    @Test
    void givenWordsThatTrailOff_whenTheCallerGoesOnAfterThePause_thenItIsOneTurn() {
        // given words that trail off at a pause
        endOfTurn.speechStarted();
        assertThat(endOfTurn.speechPaused()).isEqualTo(Step.FINALIZE);
        assertThat(endOfTurn.fin("I would like to book an appointment for", true)).isEqualTo(Step.NONE);

        // when the caller goes on and pauses again
        assertThat(endOfTurn.speechStarted()).isEqualTo(Step.NONE);
        assertThat(endOfTurn.speechPaused()).isEqualTo(Step.FINALIZE);

        // then the turn holds both parts
        assertThat(endOfTurn.fin("next Friday", true)).isEqualTo(Step.END);
        assertThat(endOfTurn.take()).isEqualTo("I would like to book an appointment for next Friday");
    }

    @Test
    void givenWordsThatTrailOff_whenTheSilenceLastsTheHangover_thenTheTurnEndsWithThem() {
        endOfTurn.speechStarted();
        endOfTurn.speechPaused();
        endOfTurn.fin("um", true);

        assertThat(endOfTurn.speechEnded()).isEqualTo(Step.END);
        assertThat(endOfTurn.endedAtPause()).isFalse();
        assertThat(endOfTurn.take()).isEqualTo("um");
    }

    @Test
    void givenSpeechThatResumesWhileTheFinalIsDecoded_thenTheFinalDoesNotEndTheTurn() {
        // given a pause whose final is still being decoded when the caller speaks again
        endOfTurn.speechStarted();
        endOfTurn.speechPaused();
        endOfTurn.speechStarted();

        // when the final comes, it does not end the turn; the next pause asks for the rest
        assertThat(endOfTurn.fin("book an appointment", true)).isEqualTo(Step.NONE);
        assertThat(endOfTurn.speechPaused()).isEqualTo(Step.FINALIZE);
        assertThat(endOfTurn.fin("for Friday", true)).isEqualTo(Step.END);
        assertThat(endOfTurn.take()).isEqualTo("book an appointment for Friday");
    }

    @Test
    void givenAFixedEndOfTurn_thenTheTurnEndsOnlyWithTheFinalAfterTheWholeSilence() {
        endOfTurn.speechStarted();

        assertThat(endOfTurn.speechEnded()).isEqualTo(Step.FINALIZE);
        assertThat(endOfTurn.fin("for", true)).isEqualTo(Step.END);
        assertThat(endOfTurn.take()).isEqualTo("for");
    }

    @Test
    void givenNoRequest_whenTheRecognizerEndsTheTurnItself_thenItEnds() {
        endOfTurn.speechStarted();

        assertThat(endOfTurn.fin("hello there", false)).isEqualTo(Step.NONE);
        assertThat(endOfTurn.fin("", true)).isEqualTo(Step.END);
        assertThat(endOfTurn.take()).isEqualTo("hello there");
    }

    @Test
    void givenNoOpenTurn_thenSilenceAndFinalsDoNothing() {
        assertThat(endOfTurn.speechPaused()).isEqualTo(Step.NONE);
        assertThat(endOfTurn.speechEnded()).isEqualTo(Step.NONE);
        assertThat(endOfTurn.fin("stray", true)).isEqualTo(Step.NONE);
    }

    @Test
    void givenTheCallerSpeaksAgain_whenTheRecognizerEndsTheTurnItself_thenItWaitsForTheNextPause() {
        // given words that trailed off at a pause, and the caller going on
        endOfTurn.speechStarted();
        endOfTurn.speechPaused();
        assertThat(endOfTurn.fin("a flight to", true)).isEqualTo(Step.NONE);
        endOfTurn.speechStarted();

        // when the recognizer ends the turn on its own, then the turn waits for the caller's next pause

        assertThat(endOfTurn.fin("", true)).isEqualTo(Step.NONE);
        assertThat(endOfTurn.speechPaused()).isEqualTo(Step.FINALIZE);
        assertThat(endOfTurn.fin("Paris", true)).isEqualTo(Step.END);
        assertThat(endOfTurn.take()).isEqualTo("a flight to Paris");
    }

    @Test
    void givenARecognizerThatDecodesTheWholeTurn_thenEachFinalReplacesTheWordsSoFar() {
        endOfTurn.speechStarted();
        endOfTurn.speechPaused();
        assertThat(endOfTurn.fin("book an appointment for", true, true)).isEqualTo(Step.NONE);
        endOfTurn.speechStarted();
        endOfTurn.speechPaused();

        assertThat(endOfTurn.fin("book an appointment for friday", true, true)).isEqualTo(Step.END);
        assertThat(endOfTurn.take()).isEqualTo("book an appointment for friday");
    }
}
