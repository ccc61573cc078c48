package io.sipai.edge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.testing.ws.RawWs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * WebSocket framing the edge must refuse, sent as raw frames after a valid upgrade of {@code /realtime/voice}: each
 * closes with the code RFC 6455 and docs/realtime-protocol.md name (1002 protocol error, 1007 invalid UTF-8, 1009
 * too big). Then a seeded generator of mutated frames (bit flips, random 7/16/64-bit lengths, garbage): every
 * connection ends, none with 1011 (an exception that escaped) and none left hanging, and nothing is logged at ERROR.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebSocketFramingFuzzTest extends EdgeIntegrationTest {

    private static final int FIN = 0x80;
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final long SEED = Long.getLong("ws.fuzz.seed", System.nanoTime());
    private static final int FUZZ_CONNECTIONS = Integer.getInteger("ws.fuzz.connections", 1_000);

    static Stream<Arguments> violations() {
        List<Arguments> cases = new ArrayList<>();
        for (int opcode : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            cases.add(Arguments.of("reserved opcode " + opcode, frame(FIN | opcode, "x"), 1002));
        }
        cases.add(Arguments.of("RSV1 without an extension", frame(FIN | 0x40 | TEXT, "{}"), 1002));
        cases.add(Arguments.of("RSV2", frame(FIN | 0x20 | TEXT, "{}"), 1002));
        cases.add(Arguments.of("RSV3", frame(FIN | 0x10 | BINARY, "ab"), 1002));
        cases.add(Arguments.of("unmasked client frame", RawWs.frame(FIN | TEXT, false, ascii("{}")), 1002));
        cases.add(Arguments.of("fragmented ping", frame(PING, "p"), 1002));
        cases.add(Arguments.of("ping of 126 bytes", RawWs.frame(FIN | PING, true, new byte[126]), 1002));
        cases.add(Arguments.of("continuation without a start", frame(FIN, "x"), 1002));
        cases.add(Arguments.of("new message inside a fragmented one", concat(frame(TEXT, "{\"t\":"),
                frame(FIN | TEXT, "{}")), 1002));
        cases.add(Arguments.of("frame declaring 2^63-1 bytes", concat(RawWs.header(FIN | BINARY, true,
                Long.MAX_VALUE), new byte[] {1, 2, 3, 4}), 1009));
        cases.add(Arguments.of("binary message over EDGE_MAX_FRAME_BYTES in continuations",
                concat(RawWs.frame(BINARY, true, new byte[40_000]), RawWs.frame(0, true, new byte[40_000])), 1009));
        cases.add(Arguments.of("text message over EDGE_MAX_FRAME_BYTES in continuations",
                concat(frame(TEXT, "a".repeat(40_000)), frame(FIN, "a".repeat(40_000))), 1009));
        cases.add(Arguments.of("invalid UTF-8", RawWs.frame(FIN | TEXT, true, new byte[] {'{', (byte) 0xC3, 0x28,
                '}'}), 1007));
        cases.add(Arguments.of("overlong UTF-8", RawWs.frame(FIN | TEXT, true, new byte[] {'"', (byte) 0xC0,
                (byte) 0xAF, '"'}), 1007));
        cases.add(Arguments.of("invalid UTF-8 split across fragments", concat(
                RawWs.frame(TEXT, true, new byte[] {'{', '"', (byte) 0xE2, (byte) 0x82}),
                RawWs.frame(FIN, true, new byte[] {0x28, '"', '}'})), 1007));
        cases.add(Arguments.of("close with a 1-byte payload", RawWs.frame(FIN | CLOSE, true, new byte[] {3}), 1002));
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1100, 2999, 5000, 65535}) {
            cases.add(Arguments.of("close code " + code, RawWs.frame(FIN | CLOSE, true, new byte[] {(byte) (code >> 8),
                    (byte) code}), 1002));
        }
        cases.add(Arguments.of("close reason not UTF-8", RawWs.frame(FIN | CLOSE, true, new byte[] {3, (byte) 0xE8,
                (byte) 0xC3, 0x28}), 1007));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("violations")
    void givenAFramingViolation_whenSent_thenTheEdgeClosesWithTheRfcCode(String name, byte[] frames, int code)
            throws IOException {
        try (RawWs ws = upgraded()) {
            // when
            ws.send(frames);
            // then
            assertThat(ws.readCloseCode()).as(name).isEqualTo(code);
        }
    }

    @Test
    void givenValidUtf8SplitAcrossFragments_whenSent_thenItIsReassembledNotRefusedAsUtf8() throws IOException {
        // given: a euro sign cut after its second byte; the message is valid, only not a known type
        try (RawWs ws = upgraded()) {
            // when
            ws.send(concat(RawWs.frame(TEXT, true, new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xE2,
                    (byte) 0x82}), RawWs.frame(FIN, true, new byte[] {(byte) 0xAC, '"', '}'})));
            // then: a protocol violation of the edge's own protocol, not invalid UTF-8
            assertThat(ws.readCloseCode()).isEqualTo(1008);
        }
    }

    @Test
    void givenACleanClose_whenSent_thenTheEdgeAnswersItWith1000() throws IOException {
        try (RawWs ws = upgraded()) {
            ws.send(RawWs.frame(FIN | CLOSE, true, new byte[] {3, (byte) 0xE8}));
            assertThat(ws.readCloseCode()).isEqualTo(1000);
        }
    }

    @Test
    void givenSeededRandomFrames_whenEachIsSentOnItsOwnConnection_thenEveryConnectionEndsWithoutAnInternalError(
            CapturedOutput output) throws IOException {
        // given
        System.out.println("WebSocketFramingFuzzTest seed=" + SEED + " (replay with -Dws.fuzz.seed=" + SEED + ")");
        Random random = new Random(SEED);
        int logFrom = output.getOut().length();
        List<String> failures = new ArrayList<>();
        // when
        for (int i = 0; i < FUZZ_CONNECTIONS; i++) {
            byte[] frames = FrameFuzz.next(random);
            try (RawWs ws = upgraded()) {
                ws.send(frames);
                ws.shutdownOutput();
                int code = ws.readCloseCode();
                if (code == 1011) {
                    failures.add(code + " after " + FrameFuzz.hex(frames));
                }
            } catch (IOException e) {
                failures.add(e + " after " + FrameFuzz.hex(frames));
            }
        }
        // then
        assertThat(failures).as("seed " + SEED).isEmpty();
        assertThat(output.getOut().substring(logFrom).lines().filter(line -> line.contains(" ERROR ")))
                .as("errors logged").isEmpty();
    }

    private RawWs upgraded() throws IOException {
        RawWs ws = new RawWs(port, "/realtime/voice?api_key=" + ACME_KEY, 65_536);
        assertThat(ws.handshakeResponse).startsWith("HTTP/1.1 101");
        return ws;
    }

    private static byte[] frame(int firstByte, String text) {
        return RawWs.frame(firstByte, true, ascii(text));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
