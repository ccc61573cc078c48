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
 * Single use and agent binding of the per-call telephony tokens api-gateway puts in the TwiML {@code <Parameter>}s
 * or the jambonz {@code listen} URL. The format and its check are the shared contract {@link TelephonyToken}
 * (schemas module; see docs/realtime-protocol.md section 2); this class adds what only the verifier needs: a token
 * is accepted once, and the call's agent is the one the token names ({@link Verified#agentId()}); a plain
 * {@code agentId} parameter that names another agent is refused ({@link Result#WRONG_AGENT}). Used tokens are kept
 * in a bounded in-memory cache until they expire; since tokens live at most {@link TelephonyToken#MAX_LIFETIME},
 * the cache is bounded in time as well as size. The cache is per process: a token is single-use per edge node
 * (docs/security.md says what that leaves open).
 */
public final class TelephonyTokens {

    /** Outcome of a check, and how a connection refuses a token that is not valid. */
    public enum Result {
        VALID, MISSING, MALFORMED, EXPIRED, WRONG_CALL, WRONG_AGENT, REPLAYED, CACHE_FULL;

        /** The HTTP status of an upgrade refused for this outcome, or null when valid. */
        public HttpStatus refusalStatus() {
            return switch (this) {
                case VALID -> null;
                case MISSING, MALFORMED, EXPIRED -> HttpStatus.UNAUTHORIZED;
                case WRONG_CALL, WRONG_AGENT, REPLAYED -> HttpStatus.FORBIDDEN;
                case CACHE_FULL -> HttpStatus.SERVICE_UNAVAILABLE;
            };
        }

        /** The WebSocket close code of an open connection refused for this outcome (4001, 4003 or 1013). */
        public int closeCode() {
            return switch (this) {
                case WRONG_CALL, WRONG_AGENT, REPLAYED -> CloseCodes.FORBIDDEN;
                case CACHE_FULL -> CloseCodes.TRY_AGAIN_LATER;
                default -> CloseCodes.UNAUTHORIZED;
            };
        }

        /** The refusal's reason, e.g. "per-call token wrong call". */
        public String describe() {
            return "per-call token " + name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * The outcome of a check and, when valid, the agent the token binds the call to.
     *
     * @param agentId the verified agent, null when the token names none or is not valid
     */
    public record Verified(Result result, String agentId) {
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

    /** Checks the token for the call at {@code now}, and consumes it when valid; no agent parameter is given. */
    public Result verify(String callId, String tenantId, String token, Instant now) {
        return verify(callId, tenantId, null, token, now).result();
    }

    /**
     * Checks the token for the call at {@code now}, and consumes it when valid.
     *
     * @param agentParam the plain {@code agentId} parameter that came with the token, or null; when present it must
     *                   name the token's agent (else {@link Result#WRONG_AGENT}, and the token is not consumed)
     */
    public Verified verify(String callId, String tenantId, String agentParam, String token, Instant now) {
        if (token == null || token.isBlank() || callId == null || tenantId == null) {
            return new Verified(Result.MISSING, null);
        }
        if (tokens == null) {
            return new Verified(Result.MALFORMED, null);
        }
        TelephonyToken.Verification verification = tokens.verify(callId, tenantId, token, now);
        Result result = switch (verification.check()) {
            case VALID -> agentParam != null && !agentParam.isBlank()
                    && !agentParam.equals(verification.agentId()) ? Result.WRONG_AGENT
                    : consume(verification.signature(), verification.expiry(), now.getEpochSecond());
            case MISSING -> Result.MISSING;
            case MALFORMED -> Result.MALFORMED;
            case EXPIRED -> Result.EXPIRED;
            case WRONG_CALL -> Result.WRONG_CALL;
        };
        return new Verified(result, result == Result.VALID ? verification.agentId() : null);
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
