package io.sipai.edge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Reads a call recording with the JDK's WAV parser, and measures its tracks. */
public final class Recorded {

    /** The recordings' sample rate. */
    public static final int RATE = 16_000;

    private Recorded() {
    }

    /** The tracks of a 16-bit 16 kHz WAV file of {@code channels} channels (asserted), one array per channel. */
    public static short[][] tracks(Path file, int channels) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            assertThat(in.getFormat().getSampleRate()).isEqualTo(RATE);
            assertThat(in.getFormat().getChannels()).isEqualTo(channels);
            assertThat(in.getFormat().getSampleSizeInBits()).isEqualTo(16);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            ByteBuffer samples = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            int frames = samples.remaining() / (2 * channels);
            short[][] tracks = new short[channels][frames];
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < channels; c++) {
                    tracks[c][i] = samples.getShort();
                }
            }
            return tracks;
        }
    }

    /** Root mean square of the track between two times (clipped to the track). */
    public static double rms(short[] track, long fromMs, long toMs) {
        double sum = 0;
        int from = (int) Math.max(0, fromMs * RATE / 1000);
        int to = (int) Math.min(track.length, toMs * RATE / 1000);
        for (int i = from; i < to; i++) {
            sum += (double) track[i] * track[i];
        }
        return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }
}
