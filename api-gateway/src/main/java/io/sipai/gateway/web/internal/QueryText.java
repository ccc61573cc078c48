package io.sipai.gateway.web.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

import io.sipai.gateway.web.StorableText;

/**
 * Checks a raw query string the way the API reads it ({@code application/x-www-form-urlencoded}, UTF-8) but
 * strictly: every {@code %} starts two hex digits, the bytes are UTF-8 (no overlong forms, no surrogates), and the
 * text is storable ({@link StorableText}). The servlet container would throw on the first two deep inside request
 * handling, and let the third through to the database.
 */
public final class QueryText {

    private QueryText() {
    }

    /** A refused parameter: its name ({@code query} when the name itself is refused) and why. */
    public record Refusal(String parameter, String reason) {
    }

    /** The first refused parameter of {@code query}, if any. */
    public static Optional<Refusal> check(String query) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String name;
            try {
                name = decode(rawName);
            } catch (IllegalArgumentException e) {
                return Optional.of(new Refusal("query", "a parameter name " + e.getMessage()));
            }
            if (StorableText.firstUnstorable(name) >= 0) {
                return Optional.of(new Refusal("query", "a parameter name " + StorableText.why(name)));
            }
            try {
                String value = decode(rawValue);
                if (StorableText.firstUnstorable(value) >= 0) {
                    return Optional.of(new Refusal(name, StorableText.why(value)));
                }
            } catch (IllegalArgumentException e) {
                return Optional.of(new Refusal(name, e.getMessage()));
            }
        }
        return Optional.empty();
    }

    /** Percent- and plus-decoding to UTF-8 text; IllegalArgumentException says what is wrong. */
    static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
                    throw new IllegalArgumentException("has a % that is not followed by two hex digits");
                }
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                // The container keeps the raw query one byte per char (it refuses unencoded non-ASCII anyway).
                bytes.write(c == '+' ? ' ' : c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("is not UTF-8 text once percent-decoded");
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }
}
