package io.sipai.gateway.web;

import java.util.Locale;
import java.util.Map;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;

/**
 * What text the gateway accepts from clients. PostgreSQL cannot store NUL in text; an unpaired UTF-16 surrogate
 * cannot be encoded as UTF-8, so PostgreSQL, Kafka and JSON consumers would receive a replacement character; and the
 * other C0 control characters are not allowed in XML 1.0 (TwiML), corrupt logs and terminals, and mean nothing to
 * speech. Tab, line feed and carriage return stay allowed: prompts and scripts are multi-line. U+FFFE and U+FFFF are
 * not characters at all.
 */
public final class StorableText {

    private StorableText() {
    }

    /** The index of the first character that cannot be kept, or -1 when all can. */
    public static int firstUnstorable(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (!storable(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Why {@code text} cannot be kept (it must contain an unstorable character), e.g. "contains U+0000 at 4". */
    public static String why(CharSequence text) {
        int at = firstUnstorable(text);
        return "contains U+" + String.format(Locale.ROOT, "%04X", (int) text.charAt(at)) + " at index " + at
                + ", which cannot be stored (NUL, control characters other than tab and line breaks, and unpaired"
                + " surrogates are refused)";
    }

    /** Throws 422 naming {@code field} unless {@code value} (which may be null) can be kept. */
    public static void check(String field, String value) {
        if (value != null && firstUnstorable(value) >= 0) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, field + ": " + why(value), Map.of("field", field));
        }
    }

    private static boolean storable(char c) {
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        return !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }
}
