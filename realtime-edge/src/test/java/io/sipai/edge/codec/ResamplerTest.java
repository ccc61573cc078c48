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
}
