package io.sipai.edge.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    @Test
    void upsamplingEightToSixteenKiloHertzDoublesTheSampleCountOverTime() {
        Resampler up = new Resampler(8000, 16000);
        short[] in = new short[160];
        short[] out = new short[up.maxOutput(160)];
        int total = 0;
        for (int frame = 0; frame < 50; frame++) {
            total += up.resample(in, 160, out);
        }
        assertThat(total).isBetween(16000 - 2, 16000);
    }

    @Test
    void downsamplingSixteenToEightKeepsOneSampleInTwo() {
        Resampler down = new Resampler(16000, 8000);
        short[] in = new short[320];
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) (i * 10);
        }
        short[] out = new short[down.maxOutput(320)];
        assertThat(down.resample(in, 320, out)).isEqualTo(160);
        assertThat(out[1]).isEqualTo((short) 20);
    }

    @Test
    void interpolatesLinearlyAndJoinsChunksWithoutAJump() {
        Resampler up = new Resampler(8000, 16000);
        short[] out = new short[16];
        int n = up.resample(new short[] {0, 100}, 2, out);
        assertThat(java.util.Arrays.copyOf(out, n)).containsExactly((short) 0, (short) 50, (short) 100);
        n = up.resample(new short[] {200, 300}, 2, out);
        assertThat(java.util.Arrays.copyOf(out, n)).containsExactly((short) 150, (short) 200, (short) 250,
                (short) 300);
    }

    @Test
    void refusesAnUnsupportedRate() {
        assertThatThrownBy(() -> new Resampler(11025, 16000)).hasMessageContaining("11025");
    }

    @Test
    void sixteenToTwentyFourKiloHertzProducesOneAndAHalfTimesTheSamples() {
        Resampler up = new Resampler(16000, 24000);
        short[] out = new short[up.maxOutput(320)];
        int total = 0;
        for (int frame = 0; frame < 50; frame++) {
            total += up.resample(new short[320], 320, out);
        }
        assertThat(total).isBetween(24000 - 2, 24000);
    }

    @Test
    void givenRandomAudioInRandomChunks_whenResampled_thenEverySampleEqualsTheExactRoundedInterpolation() {
        // given every pair of rates, and audio cut into chunks of random lengths
        int[] rates = {8000, 16000, 24000, 32000, 48000};
        java.util.Random random = new java.util.Random(42);
        for (int inRate : rates) {
            for (int outRate : rates) {
                Resampler resampler = new Resampler(inRate, outRate);
                Exact exact = new Exact(inRate, outRate);
                for (int chunk = 0; chunk < 200; chunk++) {
                    short[] in = new short[1 + random.nextInt(480)];
                    for (int i = 0; i < in.length; i++) {
                        in[i] = (short) random.nextInt(-32768, 32768);
                    }
                    short[] out = new short[resampler.maxOutput(in.length)];
                    short[] expected = new short[out.length];
                    // when
                    int n = resampler.resample(in, in.length, out);
                    // then
                    int m = exact.resample(in, in.length, expected);
                    assertThat(n).as("%d -> %d chunk %d", inRate, outRate, chunk).isEqualTo(m);
                    assertThat(java.util.Arrays.copyOf(out, n)).as("%d -> %d chunk %d", inRate, outRate, chunk)
                            .isEqualTo(java.util.Arrays.copyOf(expected, m));
                }
            }
        }
    }

    /** The definition: a division per output sample for its input index and for its rounding. */
    private static final class Exact {
        private final int inRate;
        private final int outRate;
        private long position;
        private short previous;

        Exact(int inRate, int outRate) {
            this.inRate = inRate;
            this.outRate = outRate;
        }

        int resample(short[] in, int length, short[] out) {
            if (inRate == outRate) {
                System.arraycopy(in, 0, out, 0, length);
                return length;
            }
            int written = 0;
            long t = position;
            long end = (long) (length - 1) * outRate;
            int last = length - 1;
            while (t <= end) {
                int i = (int) Math.floorDiv(t, outRate);
                long fraction = t - (long) i * outRate;
                int a = i < 0 ? previous : in[i];
                int b = i + 1 <= last ? in[i + 1] : in[last];
                long numerator = (long) a * outRate + (b - a) * fraction;
                out[written++] = (short) Math.floorDiv(2 * numerator + outRate, 2L * outRate);
                t += inRate;
            }
            position = t - (long) length * outRate;
            previous = in[last];
            return written;
        }
    }
}
