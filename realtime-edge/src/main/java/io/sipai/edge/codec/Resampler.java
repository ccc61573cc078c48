package io.sipai.edge.codec;

/**
 * Streaming linear-interpolation resampler between 8, 16, 24 and 48 kHz for one direction of one call. It keeps the
 * last input sample and the fractional read position across chunks, so consecutive chunks join without a click and
 * the long-run output rate is exact. Not thread-safe: one instance per direction.
 *
 * <p>The read position is kept as an exact fraction in units of {@code 1/outRate} input samples, in integers: every
 * telephony frame passes through here twice, and the floating-point floor and round per sample were the edge's
 * largest cost per frame.
 */
public final class Resampler {

    private final int inRate;
    private final int outRate;
    private final double step;
    /** Read position in input samples times {@code outRate}; below zero it points into the previous chunk. */
    private long position;
    private short previous;

    public Resampler(int inRate, int outRate) {
        this.inRate = requireRate(inRate);
        this.outRate = requireRate(outRate);
        this.step = (double) inRate / outRate;
    }

    /** Whether the rates are supported: 8000, 16000, 24000, 32000 or 48000 Hz. */
    public static boolean supported(int rate) {
        return rate == 8000 || rate == 16000 || rate == 24000 || rate == 32000 || rate == 48000;
    }

    /** Most output samples {@link #resample} writes for {@code inputLength} input samples. */
    public int maxOutput(int inputLength) {
        return (int) Math.ceil((inputLength + 1) / step) + 1;
    }

    /**
     * Resamples {@code length} samples of {@code in} into {@code out}.
     *
     * @return how many samples were written to {@code out}
     */
    public int resample(short[] in, int length, short[] out) {
        if (length == 0) {
            return 0;
        }
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
            // round(a + (b - a) * fraction / outRate), in integers: floor((2 * numerator + outRate) / (2 * outRate))
            long numerator = (long) a * outRate + (b - a) * fraction;
            out[written++] = (short) Math.floorDiv(2 * numerator + outRate, 2L * outRate);
            t += inRate;
        }
        position = t - (long) length * outRate;
        previous = in[last];
        return written;
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    private static int requireRate(int rate) {
        if (!supported(rate)) {
            throw new IllegalArgumentException("unsupported sample rate " + rate
                    + " Hz; expected 8000, 16000, 24000, 32000 or 48000");
        }
        return rate;
    }
}
