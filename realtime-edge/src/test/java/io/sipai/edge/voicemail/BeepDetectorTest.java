package io.sipai.edge.voicemail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The beep detector on synthetic audio: a voicemail greeting (harmonic, gliding speech-like sound) followed by a
 * 1 kHz beep, a person's "hello?", silence, and noise.
 */
class BeepDetectorTest {

    private static final int RATE = 16_000;

    @Test
    void aBeepAfterAGreetingIsHeardWhenItEnds() {
        // given 3 s of a speech-like greeting, 300 ms of silence, a 1 kHz beep of 400 ms, then silence
        short[] audio = concat(speechLike(3_000, 1), silence(300), tone(1000, 400, 0.3), silence(1000));

        // when it is heard frame by frame
        List<BeepDetector.Beep> beeps = detect(audio);

        // then one beep, of about 1 kHz and 400 ms, ending at 3.7 s
        assertThat(beeps).hasSize(1);
        assertThat(beeps.getFirst().frequencyHz()).isBetween(950, 1050);
        assertThat(beeps.getFirst().lengthMs()).isBetween(380L, 420L);
        assertThat(beeps.getFirst().endedAtMs()).isBetween(3_680L, 3_720L);
    }

    @Test
    void otherBeepPitchesAreHeardToo() {
        for (int hz : new int[] {440, 850, 1025, 1400, 2000}) {
            assertThat(detect(concat(silence(200), tone(hz, 250, 0.2), silence(200))))
                    .as(hz + " Hz").hasSize(1);
        }
    }

    @Test
    void speechSilenceNoiseAndAClickAreNoBeep() {
        assertThat(detect(speechLike(2_000, 7))).as("a person's hello").isEmpty();
        assertThat(detect(silence(3_000))).as("silence").isEmpty();
        assertThat(detect(noise(3_000, 0.3))).as("noise").isEmpty();
        assertThat(detect(concat(silence(100), tone(1000, 80, 0.5), silence(500)))).as("a click").isEmpty();
        assertThat(detect(tone(1000, 1_000, 0.001))).as("a faint tone").isEmpty();
    }

    private static List<BeepDetector.Beep> detect(short[] audio) {
        BeepDetector detector = new BeepDetector();
        List<BeepDetector.Beep> beeps = new ArrayList<>();
        short[] frame = new short[320];
        for (int offset = 0; offset + 320 <= audio.length; offset += 320) {
            System.arraycopy(audio, offset, frame, 0, 320);
            BeepDetector.Beep beep = detector.accept(frame, 320);
            if (beep != null) {
                beeps.add(beep);
            }
        }
        return beeps;
    }

    static short[] tone(int hz, int ms, double amplitude) {
        short[] pcm = new short[ms * RATE / 1000];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return pcm;
    }

    static short[] silence(int ms) {
        return new short[ms * RATE / 1000];
    }

    /** Voiced speech stand-in: a gliding pitch with five harmonics, syllable-rate loudness. */
    static short[] speechLike(int ms, long seed) {
        Random random = new Random(seed);
        short[] pcm = new short[ms * RATE / 1000];
        double phase = 0;
        double pitch = 110 + random.nextInt(80);
        for (int i = 0; i < pcm.length; i++) {
            double t = (double) i / RATE;
            pitch += (random.nextDouble() - 0.5) * 0.4;
            pitch = Math.max(90, Math.min(260, pitch + 30 * Math.sin(2 * Math.PI * 1.3 * t) / RATE * 10));
            phase += 2 * Math.PI * pitch / RATE;
            double syllable = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
            double sample = 0;
            for (int h = 1; h <= 5; h++) {
                sample += Math.sin(h * phase) / h;
            }
            pcm[i] = (short) (0.25 * 32767 * syllable * sample / 2.3 + random.nextGaussian() * 200);
        }
        return pcm;
    }

    static short[] noise(int ms, double amplitude) {
        Random random = new Random(3);
        short[] pcm = new short[ms * RATE / 1000];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE,
                    random.nextGaussian() * amplitude * 32767 / 3));
        }
        return pcm;
    }

    static short[] concat(short[]... parts) {
        int total = 0;
        for (short[] part : parts) {
            total += part.length;
        }
        short[] all = new short[total];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
