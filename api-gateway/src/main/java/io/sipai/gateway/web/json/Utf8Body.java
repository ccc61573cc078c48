package io.sipai.gateway.web.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;

/**
 * Checks that a JSON request body is UTF-8 as RFC 8259 requires, strictly (RFC 3629): Jackson's parser decodes some
 * invalid sequences instead of refusing them (an overlong {@code C0 AE} becomes "."), which would let one text
 * reach the read models under two byte spellings. The JDK's decoder refuses overlong forms, surrogates and code
 * points above U+10FFFF.
 */
public final class Utf8Body {

    private Utf8Body() {
    }

    /** {@code body} unchanged, or 400 {@code malformed-body} naming the offset of the first byte that is not UTF-8. */
    public static byte[] require(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.min(body.length, 8_192) + 1);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new ApiException(ProblemType.MALFORMED_BODY, String.format(Locale.ROOT,
                        "the request body is not UTF-8: byte 0x%02X at offset %d", body[in.position()] & 0xFF,
                        in.position()), Map.of("offset", in.position()));
            }
            if (result.isUnderflow()) {
                return body;
            }
            out.clear();
        }
    }
}
