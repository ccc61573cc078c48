package io.sipai.edge.codec;

/**
 * How a transport carries audio: encoding and sample rate, mono.
 *
 * @param encoding   {@link Encoding#MULAW} (one byte per sample) or {@link Encoding#PCM16} (little-endian)
 * @param sampleRate samples per second
 */
public record AudioFormat(Encoding encoding, int sampleRate) {

    /** The session's internal format: PCM16 16 kHz mono. */
    public static final AudioFormat PCM16_16K = new AudioFormat(Encoding.PCM16, 16_000);
    /** Twilio Media Streams: G.711 mu-law 8 kHz. */
    public static final AudioFormat MULAW_8K = new AudioFormat(Encoding.MULAW, 8_000);

    /** Sample encodings the edge converts. */
    public enum Encoding {
        MULAW(1), PCM16(2);

        private final int bytesPerSample;

        Encoding(int bytesPerSample) {
            this.bytesPerSample = bytesPerSample;
        }

        public int bytesPerSample() {
            return bytesPerSample;
        }
    }

    public AudioFormat {
        if (encoding == null) {
            throw new IllegalArgumentException("encoding is required");
        }
        if (!Resampler.supported(sampleRate)) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        }
    }

    /** Bytes in {@code ms} milliseconds of audio. */
    public int bytesFor(int ms) {
        return sampleRate / 1000 * ms * encoding.bytesPerSample();
    }
}
