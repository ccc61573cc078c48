package io.sipai.edge.pipeline.internal;

/** Dual-tone multi-frequency audio for {@code send_dtmf}: 100 ms of tone and 60 ms of silence per digit, 16 kHz. */
public final class DtmfTones {

    private static final String KEYS = "123A456B789C*0#D";
    private static final int[] ROWS = {697, 770, 852, 941};
    private static final int[] COLUMNS = {1209, 1336, 1477, 1633};

    private DtmfTones() {
    }

    /** The tones of {@code digits}; characters that are not DTMF keys are skipped. */
    public static short[] of(String digits) {
        int tone = 1600;
        int gap = 960;
        short[] out = new short[digits.length() * (tone + gap)];
        int pos = 0;
        for (char c : digits.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            int key = KEYS.indexOf(c);
            if (key < 0) {
                continue;
            }
            for (int i = 0; i < tone; i++) {
                double t = i / 16_000.0;
                out[pos++] = (short) (6000 * (Math.sin(2 * Math.PI * ROWS[key / 4] * t)
                        + Math.sin(2 * Math.PI * COLUMNS[key % 4] * t)));
            }
            pos += gap;
        }
        return java.util.Arrays.copyOf(out, pos);
    }
}
