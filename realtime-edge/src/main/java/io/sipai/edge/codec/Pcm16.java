package io.sipai.edge.codec;

/** Little-endian signed 16-bit PCM to and from samples, without allocation. */
public final class Pcm16 {

    private Pcm16() {
    }

    /** Reads {@code byteLength / 2} samples from {@code src[offset..]} into {@code dst}; returns the count. */
    public static int toSamples(byte[] src, int offset, int byteLength, short[] dst) {
        int samples = byteLength / 2;
        for (int i = 0; i < samples; i++) {
            int lo = src[offset + 2 * i] & 0xFF;
            int hi = src[offset + 2 * i + 1];
            dst[i] = (short) ((hi << 8) | lo);
        }
        return samples;
    }

    /** Writes {@code count} samples as little-endian bytes into {@code dst}; returns the byte count. */
    public static int toBytes(short[] src, int count, byte[] dst) {
        for (int i = 0; i < count; i++) {
            dst[2 * i] = (byte) src[i];
            dst[2 * i + 1] = (byte) (src[i] >> 8);
        }
        return count * 2;
    }
}
