package io.sipai.edge.telephony;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.sipai.edge.wire.CloseCodes;
import io.sipai.schemas.telephony.TelephonyToken;
import org.springframework.http.HttpStatus;

/**
 * Single use of the per-call telephony tokens api-gateway puts in the TwiML {@code <Parameter>}s or the jambonz
 * {@code listen} URL. The format and its check are the shared contract {@link TelephonyToken} (schemas module; see
 * docs/realtime-protocol.md section 2); this class adds what only the verifier needs: a token is accepted once.
 * Used tokens are kept in a bounded in-memory cache until they expire; since tokens live at most
 * {@link TelephonyToken#MAX_LIFETIME}, the cache is bounded in time as well as size.
 */
public final class TelephonyTokens {

    /** Outcome of a check, and how a connection refuses a token that is not valid. */
    public enum Result {
        VALID, MISSING, MALFORMED, EXPIRED, WRONG_CALL, REPLAYED, CACHE_FULL;

        /** The HTTP status of an upgrade refused for this outcome, or null when valid. */
        public HttpStatus refusalStatus() {
            return switch (this) {
                case VALID -> null;
                case MISSING, MALFORMED, EXPIRED -> HttpStatus.UNAUTHORIZED;
                case WRONG_CALL, REPLAYED -> HttpStatus.FORBIDDEN;
                case CACHE_FULL -> HttpStatus.SERVICE_UNAVAILABLE;
            };
        }

        /** The WebSocket close code of an open connection refused for this outcome (4001, 4003 or 1013). */
        public int closeCode() {
            return switch (this) {
                case WRONG_CALL, REPLAYED -> CloseCodes.FORBIDDEN;
                case CACHE_FULL -> CloseCodes.TRY_AGAIN_LATER;
                default -> CloseCodes.UNAUTHORIZED;
            };
        }

        /** The refusal's reason, e.g. "per-call token wrong call". */
        public String describe() {
            return "per-call token " + name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final TelephonyToken tokens;
    private final int cacheCapacity;
    private final LinkedHashMap<String, Long> used = new LinkedHashMap<>();

    /** @param secret {@code TELEPHONY_TOKEN_SECRET}; blank means unconfigured: every token is refused */
    public TelephonyTokens(String secret, int cacheCapacity) {
        this.tokens = secret == null || secret.isBlank() ? null : new TelephonyToken(secret);
        this.cacheCapacity = cacheCapacity;
    }

    public boolean configured() {
        return tokens != null;
    }

    /** Checks the token for the call at {@code now}, and consumes it when valid. */
    public Result verify(String callId, String tenantId, String token, Instant now) {
        if (token == null || token.isBlank() || callId == null || tenantId == null) {
            return Result.MISSING;
        }
        if (tokens == null) {
            return Result.MALFORMED;
        }
        TelephonyToken.Verification verification = tokens.verify(callId, tenantId, token, now);
        return switch (verification.check()) {
            case VALID -> consume(verification.signature(), verification.expiry(), now.getEpochSecond());
            case MISSING -> Result.MISSING;
            case MALFORMED -> Result.MALFORMED;
            case EXPIRED -> Result.EXPIRED;
            case WRONG_CALL -> Result.WRONG_CALL;
        };
    }

    private synchronized Result consume(String signature, long exp, long nowSec) {
        for (Iterator<Map.Entry<String, Long>> it = used.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() < nowSec) {
                it.remove();
            }
        }
        if (used.containsKey(signature)) {
            return Result.REPLAYED;
        }
        if (used.size() >= cacheCapacity) {
            return Result.CACHE_FULL;
        }
        used.put(signature, exp);
        return Result.VALID;
    }
}
