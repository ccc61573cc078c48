package io.sipai.edge.telephony;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.sipai.edge.wire.CloseCodes;
import io.sipai.schemas.telephony.TelephonyToken;
import org.springframework.http.HttpStatus;

/**
 * Single use and agent binding of the per-call telephony tokens api-gateway puts in the TwiML {@code <Parameter>}s
 * or the jambonz {@code listen} URL. The format and its check are the shared contract {@link TelephonyToken}
 * (schemas module; see docs/realtime-protocol.md section 2); this class adds what only the verifier needs: a token
 * is accepted once in the whole deployment, and the call's agent is the one the token names
 * ({@link Verified#agentId()}); a plain {@code agentId} parameter that names another agent is refused
 * ({@link Result#WRONG_AGENT}).
 *
 * <p>Single use has two layers. A bounded in-memory cache of this node's used tokens (kept until they expire; tokens
 * live at most {@link TelephonyToken#MAX_LIFETIME}, so it is bounded in time as well as size) refuses a replay on
 * this node at once, with no round trip. A token that passes it is then claimed for the connection through
 * {@link MediaClaims} (admission records the first claim per call, durable and deployment-wide), which refuses a
 * replay on another node or on this one after a restart ({@link Result#REPLAYED}) and, when it cannot decide in
 * time, refuses the connection as {@link Result#UNAVAILABLE} (fail closed). A token whose claim went undecided may
 * be presented again on this node, and is claimed again with the same connection id, so a claim admission recorded
 * after the edge gave up does not spend the token for its retry. The claim costs one Kafka round trip, at
 * connection setup only.
 */
public final class TelephonyTokens {

    /** Outcome of a check, and how a connection refuses a token that is not valid. */
    public enum Result {
        VALID, MISSING, MALFORMED, EXPIRED, WRONG_CALL, WRONG_AGENT, REPLAYED, CACHE_FULL,
        /** The deployment-wide claim was not decided in time (admission or Kafka unavailable). */
        UNAVAILABLE;

        /** The HTTP status of an upgrade refused for this outcome, or null when valid. */
        public HttpStatus refusalStatus() {
            return switch (this) {
                case VALID -> null;
                case MISSING, MALFORMED, EXPIRED -> HttpStatus.UNAUTHORIZED;
                case WRONG_CALL, WRONG_AGENT, REPLAYED -> HttpStatus.FORBIDDEN;
                case CACHE_FULL, UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            };
        }

        /** The WebSocket close code of an open connection refused for this outcome (4001, 4003 or 1013). */
        public int closeCode() {
            return switch (this) {
                case WRONG_CALL, WRONG_AGENT, REPLAYED -> CloseCodes.FORBIDDEN;
                case CACHE_FULL, UNAVAILABLE -> CloseCodes.TRY_AGAIN_LATER;
                default -> CloseCodes.UNAUTHORIZED;
            };
        }

        /** The refusal's reason, e.g. "per-call token wrong call". */
        public String describe() {
            if (this == UNAVAILABLE) {
                return "per-call token single use not decided in time (admission unavailable)";
            }
            return "per-call token " + name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** The deployment-wide claim of a call's media by one connection presenting the call's valid token. */
    @FunctionalInterface
    public interface MediaClaims {

        /**
         * Claims the call's media for {@code connectionId}; may block for one round trip, up to its timeout.
         *
         * @return {@link Result#VALID} when this connection holds the call's media (it claimed first, or this is a
         *         retry of its claim), {@link Result#REPLAYED} when another connection claimed first,
         *         {@link Result#UNAVAILABLE} when the claim was not decided in time
         */
        Result claim(String callId, String tenantId, String agentId, String connectionId, Instant tokenExpiresAt);
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
    private final MediaClaims claims;
    private final String nodeName;
    private final LinkedHashMap<String, Use> used = new LinkedHashMap<>();

    /**
     * @param secret   {@code TELEPHONY_TOKEN_SECRET}; blank means unconfigured: every token is refused
     * @param claims   the deployment-wide claim of a call's media
     * @param nodeName this edge node's name, the first part of its connection ids (so a refusal names the holder)
     */
    public TelephonyTokens(String secret, int cacheCapacity, MediaClaims claims, String nodeName) {
        this.tokens = secret == null || secret.isBlank() ? null : new TelephonyToken(secret);
        this.cacheCapacity = cacheCapacity;
        this.claims = claims;
        this.nodeName = nodeName;
    }

    public boolean configured() {
        return tokens != null;
    }

    /** Checks the token for the call at {@code now}, and consumes it when valid; no agent parameter is given. */
    public Result verify(String callId, String tenantId, String token, Instant now) {
        return verify(callId, tenantId, null, token, now).result();
    }

    /**
     * Checks the token for the call at {@code now}, and consumes it when valid: for a new connection, which may
     * block for the deployment-wide claim's round trip.
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
                    : use(callId, tenantId, verification, now);
            case MISSING -> Result.MISSING;
            case MALFORMED -> Result.MALFORMED;
            case EXPIRED -> Result.EXPIRED;
            case WRONG_CALL -> Result.WRONG_CALL;
        };
        return new Verified(result, result == Result.VALID ? verification.agentId() : null);
    }

    private Result use(String callId, String tenantId, TelephonyToken.Verification verification, Instant now) {
        String signature = verification.signature();
        Result local = consume(signature, verification.expiry(), now.getEpochSecond());
        if (local != Result.VALID) {
            return local;
        }
        Result claimed = claims.claim(callId, tenantId, verification.agentId(), connectionId(signature),
                Instant.ofEpochSecond(verification.expiry()));
        if (claimed == Result.UNAVAILABLE) {
            undecided(signature);
        }
        return claimed;
    }

    /**
     * Takes the token for a claim on this node: {@link Result#VALID} when it is new here, or its last claim was not
     * decided in time (the retry then claims with the same connection id, so should that claim have been recorded
     * after all, the retry is granted instead of refused as a replay of itself).
     */
    private synchronized Result consume(String signature, long exp, long nowSec) {
        for (Iterator<Map.Entry<String, Use>> it = used.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().expiry() < nowSec) {
                it.remove();
            }
        }
        Use known = used.get(signature);
        if (known != null && !known.undecided()) {
            return Result.REPLAYED;
        }
        if (known == null && used.size() >= cacheCapacity) {
            return Result.CACHE_FULL;
        }
        String connectionId = known != null ? known.connectionId() : nodeName + "/" + UUID.randomUUID();
        used.put(signature, new Use(exp, connectionId, false));
        return Result.VALID;
    }

    private synchronized String connectionId(String signature) {
        return used.get(signature).connectionId();
    }

    private synchronized void undecided(String signature) {
        used.computeIfPresent(signature, (key, use) -> new Use(use.expiry(), use.connectionId(), true));
    }

    /**
     * This node's use of a token: the connection id its claims carry, and whether the last claim went undecided
     * (admission did not answer in time: the token may be tried again on this node).
     */
    private record Use(long expiry, String connectionId, boolean undecided) {
    }
}
