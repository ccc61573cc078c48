package io.sipai.edge.recording.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The 44-byte header of a 16-bit PCM RIFF/WAVE file. */
public final class WavHeader {

    /** Bytes before the samples. */
    public static final int BYTES = 44;

    private WavHeader() {
    }

    /** The header of a file holding {@code dataBytes} bytes of samples. */
    public static byte[] of(int sampleRate, int channels, long dataBytes) {
        long data = Math.min(dataBytes, 0xFFFF_FFFFL - 36);
        ByteBuffer header = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + data))
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) data);
        return header.array();
    }
}
