package io.sipai.edge.auth;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sipai.schemas.telephony.TelephonyToken;

/**
 * Single use of the per-call telephony tokens api-gateway puts in the TwiML {@code <Parameter>}s or the jambonz
 * {@code listen} URL. The format and its check are the shared contract {@link TelephonyToken} (schemas module; see
 * docs/realtime-protocol.md section 2); this class adds what only the verifier needs: a token is accepted once.
 * Used tokens are kept in a bounded in-memory cache until they expire; since tokens live at most
 * {@link TelephonyToken#MAX_LIFETIME}, the cache is bounded in time as well as size.
 */
public final class TelephonyTokens {

    /** Outcome of a check. */
    public enum Result { VALID, MISSING, MALFORMED, EXPIRED, WRONG_CALL, REPLAYED, CACHE_FULL }

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
