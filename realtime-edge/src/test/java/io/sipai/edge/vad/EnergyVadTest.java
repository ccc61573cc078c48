package io.sipai.edge.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class EnergyVadTest {

    private static short[] tone(int amplitude) {
        short[] frame = new short[320];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) (amplitude * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        return frame;
    }

    @Test
    void speechStartsAfterTheStartTimeAboveThresholdAndEndsAfterTheHangover() {
        EnergyVad vad = new EnergyVad(-45, 60, 200, 20);
        short[] loud = tone(8000);
        short[] quiet = new short[320];
        assertThat(vad.accept(loud, 320)).isEqualTo(EnergyVad.Transition.NONE);
        assertThat(vad.accept(loud, 320)).isEqualTo(EnergyVad.Transition.NONE);
        assertThat(vad.accept(loud, 320)).isEqualTo(EnergyVad.Transition.SPEECH_STARTED);
        for (int i = 0; i < 9; i++) {
            assertThat(vad.accept(quiet, 320)).isEqualTo(EnergyVad.Transition.NONE);
        }
        assertThat(vad.accept(quiet, 320)).isEqualTo(EnergyVad.Transition.SPEECH_ENDED);
    }

    @Test
    void quietNoiseBelowTheThresholdIsNotSpeech() {
        EnergyVad vad = new EnergyVad(-45, 20, 200, 20);
        short[] hiss = tone(50);
        assertThat(EnergyVad.levelDb(hiss, 320)).isLessThan(-45);
        for (int i = 0; i < 20; i++) {
            assertThat(vad.accept(hiss, 320)).isEqualTo(EnergyVad.Transition.NONE);
        }
    }

    @Test
    void aShortPauseInsideSpeechDoesNotEndIt() {
        EnergyVad vad = new EnergyVad(-45, 20, 200, 20);
        vad.accept(tone(8000), 320);
        assertThat(vad.speaking()).isTrue();
        for (int i = 0; i < 5; i++) {
            vad.accept(new short[320], 320);
        }
        vad.accept(tone(8000), 320);
        assertThat(vad.speaking()).isTrue();
    }

    @Test
    void givenAPauseShorterThanTheHangover_whenSpeechStops_thenThePauseIsReportedBeforeTheEnd() {
        // given a detector that reports 100 ms pauses and ends speech after 200 ms
        EnergyVad vad = new EnergyVad(-45, 20, 100, 200, 20);
        vad.accept(tone(8000), 320);

        // when the caller stops, then the pause comes after 100 ms of silence and the end after 200 ms
        List<EnergyVad.Transition> heard = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            heard.add(vad.accept(new short[320], 320));
        }
        assertThat(heard.indexOf(EnergyVad.Transition.SPEECH_PAUSED)).isEqualTo(4);
        assertThat(heard.indexOf(EnergyVad.Transition.SPEECH_ENDED)).isEqualTo(9);
        assertThat(heard.stream().filter(t -> t != EnergyVad.Transition.NONE)).hasSize(2);
    }

    @Test
    void givenAPause_whenSpeechComesBackBeforeTheHangover_thenItStartsAgainAndTheNextSilenceEndsIt() {
        // given speech that paused
        EnergyVad vad = new EnergyVad(-45, 40, 100, 300, 20);
        vad.accept(tone(8000), 320);
        vad.accept(tone(8000), 320);
        for (int i = 0; i < 5; i++) {
            vad.accept(new short[320], 320);
        }
        assertThat(vad.speaking()).isFalse();

        // when a click (shorter than the start time) and then speech come back, then only the speech restarts it
        assertThat(vad.accept(tone(8000), 320)).isEqualTo(EnergyVad.Transition.NONE);
        assertThat(vad.accept(new short[320], 320)).isEqualTo(EnergyVad.Transition.NONE);
        assertThat(vad.accept(tone(8000), 320)).isEqualTo(EnergyVad.Transition.NONE);
        assertThat(vad.accept(tone(8000), 320)).isEqualTo(EnergyVad.Transition.SPEECH_STARTED);
        assertThat(vad.speaking()).isTrue();
    }

    @Test
    void givenNoPauseSetting_thenOnlyStartsAndEndsAreReported() {
        EnergyVad vad = new EnergyVad(-45, 20, 0, 200, 20);
        vad.accept(tone(8000), 320);
        for (int i = 0; i < 9; i++) {
            assertThat(vad.accept(new short[320], 320)).isEqualTo(EnergyVad.Transition.NONE);
        }
        assertThat(vad.accept(new short[320], 320)).isEqualTo(EnergyVad.Transition.SPEECH_ENDED);
    }
}
