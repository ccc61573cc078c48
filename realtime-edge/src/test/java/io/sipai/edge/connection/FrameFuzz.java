package io.sipai.edge.connection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import io.sipai.testing.ws.RawWs;

/**
 * A seeded generator of hostile client frames for the framing fuzz: valid frames of the edge's protocol (none of
 * them a {@code start}, so no call is admitted) with flipped bits, with a random 7-, 16- or 64-bit length, cut short,
 * or plain garbage.
 */
final class FrameFuzz {

    private static final List<byte[]> VALID = List.of(
            RawWs.frame(0x81, true, "{\"t\":\"nope\"}".getBytes(StandardCharsets.UTF_8)),
            RawWs.frame(0x82, true, new byte[320]),
            RawWs.frame(0x89, true, "ping".getBytes(StandardCharsets.US_ASCII)),
            RawWs.frame(0x88, true, new byte[] {3, (byte) 0xE8}),
            WebSocketFramingFuzzTest.concat(RawWs.frame(0x01, true, "{\"t\":".getBytes(StandardCharsets.UTF_8)),
                    RawWs.frame(0x80, true, "\"x\"}".getBytes(StandardCharsets.UTF_8))));

    private FrameFuzz() {
    }

    static byte[] next(Random random) {
        byte[] frame = VALID.get(random.nextInt(VALID.size())).clone();
        return switch (random.nextInt(4)) {
            case 0 -> flipBits(random, frame);
            case 1 -> withLength(random, frame);
            case 2 -> Arrays.copyOf(frame, 1 + random.nextInt(frame.length));
            default -> garbage(random);
        };
    }

    static String hex(byte[] frames) {
        return HexFormat.of().formatHex(frames, 0, Math.min(frames.length, 32));
    }

    private static byte[] flipBits(Random random, byte[] frame) {
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
            int at = random.nextInt(Math.min(frame.length, 14));
            frame[at] ^= (byte) (1 << random.nextInt(8));
        }
        return frame;
    }

    private static byte[] withLength(Random random, byte[] frame) {
        long length = switch (random.nextInt(3)) {
            case 0 -> random.nextInt(126);
            case 1 -> 126 + random.nextInt(65_536 - 126);
            default -> random.nextLong() & Long.MAX_VALUE;
        };
        byte[] payload = new byte[Math.min(frame.length, 64)];
        random.nextBytes(payload);
        return WebSocketFramingFuzzTest.concat(RawWs.header(frame[0] & 0xFF, random.nextInt(8) != 0, length),
                new byte[] {1, 2, 3, 4}, payload);
    }

    private static byte[] garbage(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(256)];
        random.nextBytes(bytes);
        return bytes;
    }
}
