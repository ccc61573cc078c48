package io.sipai.gateway.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;

/**
 * What every paged list of the API shares: the {@code limit} bounds and opaque cursors (URL-safe base64 of the
 * position the next page starts after). The position's own format belongs to each list.
 */
public final class Paging {

    public static final int MAX_LIMIT = 200;

    private Paging() {
    }

    /** {@code limit} when between 1 and {@value #MAX_LIMIT}, else a 400 problem naming {@code field}. */
    public static int limit(String field, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(ProblemType.INVALID_PARAMETER, field + ": must be between 1 and " + MAX_LIMIT,
                    Map.of("field", field));
        }
        return limit;
    }

    public static String encodeCursor(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position in {@code cursor}, or {@link #badCursor()} when it is not base64 of storable UTF-8 text (a
     * position goes into a query, so it must be text the database takes).
     */
    public static String decodeCursor(String cursor) {
        try {
            String position = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor))).toString();
            if (StorableText.firstUnstorable(position) >= 0) {
                throw badCursor();
            }
            return position;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw badCursor();
        }
    }

    /** The 400 problem for a cursor this API did not return. */
    public static ApiException badCursor() {
        return new ApiException(ProblemType.INVALID_PARAMETER, "cursor: not a cursor this API returned",
                Map.of("field", "cursor"));
    }
}
