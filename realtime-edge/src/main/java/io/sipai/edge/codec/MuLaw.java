package io.sipai.edge.codec;

/**
 * ITU-T G.711 mu-law codec (BIAS 0x84, CLIP 32635), table driven so the per-frame path does no arithmetic beyond a
 * lookup. Decode matches the reference for all 256 codes; encode follows the standard segment search.
 */
public final class MuLaw {

    private static final int BIAS = 0x84;
    private static final int CLIP = 32635;
    private static final short[] DECODE = new short[256];
    private static final byte[] ENCODE = new byte[65536];

    static {
        for (int code = 0; code < 256; code++) {
            DECODE[code] = decodeSlow(code);
        }
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            ENCODE[s & 0xFFFF] = encodeSlow(s);
        }
    }

    private MuLaw() {
    }

    /** One mu-law byte to a 16-bit linear sample. */
    public static short decode(byte code) {
        return DECODE[code & 0xFF];
    }

    /** One 16-bit linear sample to a mu-law byte. */
    public static byte encode(short sample) {
        return ENCODE[sample & 0xFFFF];
    }

    /** Decodes {@code length} bytes of {@code src} into {@code dst} starting at 0. */
    public static void decode(byte[] src, int length, short[] dst) {
        for (int i = 0; i < length; i++) {
            dst[i] = DECODE[src[i] & 0xFF];
        }
    }

    /** Encodes {@code length} samples of {@code src} into {@code dst} starting at 0. */
    public static void encode(short[] src, int length, byte[] dst) {
        for (int i = 0; i < length; i++) {
            dst[i] = ENCODE[src[i] & 0xFFFF];
        }
    }

    private static short decodeSlow(int code) {
        int u = ~code & 0xFF;
        int sign = u & 0x80;
        int exp = (u >> 4) & 7;
        int mant = u & 0x0F;
        int s = (((mant << 3) + BIAS) << exp) - BIAS;
        return (short) (sign != 0 ? -s : s);
    }

    private static byte encodeSlow(int sample) {
        int sign = sample < 0 ? 0x80 : 0;
        int s = Math.min(Math.abs(sample), CLIP) + BIAS;
        int exp = 7;
        int mask = 0x4000;
        while (exp > 0 && (s & mask) == 0) {
            exp--;
            mask >>= 1;
        }
        int mant = (s >> (exp + 3)) & 0x0F;
        return (byte) (~(sign | (exp << 4) | mant) & 0xFF);
    }
}
