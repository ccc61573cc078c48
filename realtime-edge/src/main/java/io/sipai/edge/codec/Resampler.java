package io.sipai.edge.codec;

/**
 * Streaming linear-interpolation resampler between 8, 16, 24 and 48 kHz for one direction of one call. It keeps the
 * last input sample and the fractional read position across chunks, so consecutive chunks join without a click and
 * the long-run output rate is exact. Not thread-safe: one instance per direction.
 *
 * <p>The read position is kept as an exact fraction in units of {@code 1/outRate} input samples, in integers: every
 * telephony frame passes through here twice, and the floating-point floor and round per sample were the edge's
 * largest cost per frame. The integer part and the fraction advance by addition; only a fraction other than 0 or
 * one half costs a division (24 and 48 kHz).
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
        int last = length - 1;
        // The read position t = i * outRate + fraction, advanced without a division per sample.
        int i = (int) Math.floorDiv(position, outRate);
        long fraction = position - (long) i * outRate;
        while (i < last || i == last && fraction == 0) {
            int a = i < 0 ? previous : in[i];
            out[written++] = (short) (fraction == 0 ? a : interpolate(a, i + 1 <= last ? in[i + 1] : in[last],
                    fraction));
            fraction += inRate;
            while (fraction >= outRate) {
                fraction -= outRate;
                i++;
            }
        }
        long t = (long) i * outRate + fraction;
        position = t - (long) length * outRate;
        previous = in[last];
        return written;
    }

    /**
     * round(a + (b - a) * fraction / outRate), in integers: floor((2 * numerator + outRate) / (2 * outRate)); halfway
     * (8 to 16 kHz) without a division.
     */
    private int interpolate(int a, int b, long fraction) {
        if (2 * fraction == outRate) {
            return (a + b + 1) >> 1;
        }
        long numerator = (long) a * outRate + (b - a) * fraction;
        return (int) Math.floorDiv(2 * numerator + outRate, 2L * outRate);
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
