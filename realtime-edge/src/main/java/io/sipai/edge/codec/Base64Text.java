package io.sipai.edge.codec;

/** Standard base64 (with padding) of part of an array, appended to a builder without intermediate arrays. */
public final class Base64Text {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private Base64Text() {
    }

    /** Appends base64 of {@code data[0..length)} to {@code out}. */
    public static void append(byte[] data, int length, StringBuilder out) {
        int i = 0;
        for (; i + 2 < length; i += 3) {
            int v = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF);
            out.append(ALPHABET[v >>> 18]).append(ALPHABET[(v >>> 12) & 63]).append(ALPHABET[(v >>> 6) & 63])
                    .append(ALPHABET[v & 63]);
        }
        int rest = length - i;
        if (rest == 1) {
            int v = (data[i] & 0xFF) << 16;
            out.append(ALPHABET[v >>> 18]).append(ALPHABET[(v >>> 12) & 63]).append("==");
        } else if (rest == 2) {
            int v = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8;
            out.append(ALPHABET[v >>> 18]).append(ALPHABET[(v >>> 12) & 63]).append(ALPHABET[(v >>> 6) & 63])
                    .append('=');
        }
    }
}
