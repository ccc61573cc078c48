package io.sipai.schemas.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The OTLP trace request reader: a request encoded here field by field, and bytes nobody should send. */
class OtlpTracesTest {

    @Test
    void aRequestWithOneSpanReadsBackItsIdsNameServiceTimesAttributesAndStatus() {
        // given ExportTraceServiceRequest{ResourceSpans{Resource{service.name}, ScopeSpans{Span}}}
        byte[] span = concat(
                bytes(1, HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10")),
                bytes(2, HexFormat.of().parseHex("1112131415161718")),
                bytes(4, HexFormat.of().parseHex("2122232425262728")),
                bytes(5, text("turn")),
                varint(6, 1),
                fixed64(7, 1_000L), fixed64(8, 5_000L),
                bytes(9, keyValue("sipai.turn", concat(varint(3, 5)))),
                bytes(9, keyValue("sipai.call_id", bytes(1, text("call-1")))),
                bytes(15, varint(3, 2)));
        byte[] resource = bytes(1, keyValue("service.name", bytes(1, text("realtime-edge"))));
        byte[] request = bytes(1, concat(bytes(1, resource), bytes(2, bytes(2, span))));
        // when
        OtlpSpan read = OtlpTraces.decode(request).getFirst();
        // then
        assertThat(read.service()).isEqualTo("realtime-edge");
        assertThat(read.traceId()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
        assertThat(read.spanId()).isEqualTo("1112131415161718");
        assertThat(read.parentSpanId()).isEqualTo("2122232425262728");
        assertThat(read.name()).isEqualTo("turn");
        assertThat(read.kind()).isEqualTo(1);
        assertThat(read.endEpochNanos() - read.startEpochNanos()).isEqualTo(4_000L);
        assertThat(read.attribute("sipai.turn")).isEqualTo(5L);
        assertThat(read.attribute("sipai.call_id")).isEqualTo("call-1");
        assertThat(read.statusCode()).isEqualTo(2);
    }

    @Test
    void aNegativeOrOverlongLengthIsRefusedAtOnceInsteadOfReadingBackwardsOrPastTheMessage() {
        assertThatThrownBy(() -> OtlpTraces.decode(HexFormat.of().parseHex("0afaffffff0f")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
        // a nested message whose field claims more bytes than the nested message has, though the request has them
        byte[] overrun = concat(bytes(1, concat(bytes(2, HexFormat.of().parseHex("0a7f")))), new byte[200]);
        assertThatThrownBy(() -> OtlpTraces.decode(overrun)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomBytesAreRefusedAsMalformedOrReadAsWhatTheySayNeverAnotherFailure() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            assertThatCode(() -> {
                try {
                    OtlpTraces.decode(junk);
                } catch (IllegalArgumentException refused) {
                    // what a receiver answers 400 to
                }
            }).doesNotThrowAnyException();
        }
    }

    private static byte[] keyValue(String key, byte[] anyValue) {
        return concat(bytes(1, text(key)), bytes(2, anyValue));
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int field, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (long) field << 3 | 2);
        writeVarint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] varint(int field, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (long) field << 3);
        writeVarint(out, value);
        return out.toByteArray();
    }

    private static byte[] fixed64(int field, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (long) field << 3 | 1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
