package io.sipai.schemas.telephony;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-call media token, a contract between api-gateway (which mints it when it answers a provider's call
 * webhook) and realtime-edge (which lets the provider's media WebSocket in with it). Format:
 * {@code "v2." + expiry + "." + base64url_nopad(agentId) + "." + base64url_nopad(HMAC-SHA256(TELEPHONY_TOKEN_SECRET,
 * "v2\n" + callId + "\n" + tenantId + "\n" + agentId + "\n" + expiry))}, expiry in unix seconds, at most
 * {@link #MAX_LIFETIME} ahead, agentId empty for a call without an agent. The token binds the call, the tenant and
 * the agent: the verifier takes the agent from the token ({@link Verification#agentId()}), so a provider-side
 * parameter cannot switch a call to another agent. Tokens of the former format {@code v1} (no agent) are refused
 * as malformed. This class is the pure mint/verify; single use is the verifier's business (realtime-edge keeps the
 * used-token cache). Where the token and the call's ids travel (Twilio {@code <Parameter>}s, jambonz {@code listen}
 * query) is named by the {@code PARAM_*} constants. Specified in docs/realtime-protocol.md section 2.
 */
public final class TelephonyToken {

    /** Shortest accepted {@code TELEPHONY_TOKEN_SECRET}, in characters. */
    public static final int MIN_SECRET_LENGTH = 32;
    /** Longest lifetime a token may have; a verifier refuses tokens valid for longer. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(1);
    /** Lifetime api-gateway gives its tokens unless {@code TELEPHONY_TOKEN_TTL_SEC} says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    /** Parameter (Twilio {@code <Parameter>} name, jambonz {@code listen} query name) carrying the call id. */
    public static final String PARAM_CALL_ID = "callId";
    public static final String PARAM_TENANT_ID = "tenantId";
    public static final String PARAM_TOKEN = "token";
    public static final String PARAM_AGENT_ID = "agentId";
    public static final String PARAM_CAMPAIGN_ID = "campaignId";
    public static final String PARAM_FROM = "from";
    public static final String PARAM_TO = "to";
    /** {@code inbound} or {@code outbound}. */
    public static final String PARAM_DIRECTION = "direction";
    /** Every parameter a media connection may carry, in the order api-gateway writes them. */
    public static final List<String> PARAMS = List.of(PARAM_CALL_ID, PARAM_TENANT_ID, PARAM_TOKEN, PARAM_AGENT_ID,
            PARAM_CAMPAIGN_ID, PARAM_FROM, PARAM_TO, PARAM_DIRECTION);

    private static final String VERSION = "v2";
    private static final Pattern EXPIRY = Pattern.compile("\\d{1,12}");
    /** The agent part: base64url without padding, at most 256 characters (an agent id of up to 192 bytes). */
    private static final Pattern AGENT = Pattern.compile("[A-Za-z0-9_-]{0,256}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** Outcome of a check. */
    public enum Check { VALID, MISSING, MALFORMED, EXPIRED, WRONG_CALL }

    /**
     * A checked token.
     *
     * @param check     the outcome
     * @param expiry    the token's expiry in unix seconds (0 unless the token parsed)
     * @param signature the token's signature part, a unique id of a valid token (null unless it parsed)
     * @param agentId   the agent the token binds the call to, null when it names none (or did not verify)
     */
    public record Verification(Check check, long expiry, String signature, String agentId) {
        public boolean valid() {
            return check == Check.VALID;
        }
    }

    private final SecretKeySpec key;

    /** @throws IllegalArgumentException when the secret is blank */
    public TelephonyToken(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the telephony token secret is blank");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A token for the call of the tenant without an agent, valid until {@code expiresAt} (whole seconds). */
    public String mint(String callId, String tenantId, Instant expiresAt) {
        return mint(callId, tenantId, null, expiresAt);
    }

    /** A token for the call of the tenant served by {@code agentId} (null: none), valid until {@code expiresAt}. */
    public String mint(String callId, String tenantId, String agentId, Instant expiresAt) {
        long expiry = expiresAt.getEpochSecond();
        String agent = agentId == null ? "" : agentId;
        return VERSION + "." + expiry + "." + B64.encodeToString(agent.getBytes(StandardCharsets.UTF_8)) + "."
                + signature(callId, tenantId, agent, expiry);
    }

    /** Checks the token for the call of the tenant at {@code now}; consumes nothing. */
    public Verification verify(String callId, String tenantId, String token, Instant now) {
        if (token == null || token.isBlank() || callId == null || tenantId == null) {
            return new Verification(Check.MISSING, 0, null, null);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0]) || !EXPIRY.matcher(parts[1]).matches()
                || !AGENT.matcher(parts[2]).matches()) {
            return new Verification(Check.MALFORMED, 0, null, null);
        }
        long expiry = Long.parseLong(parts[1]);
        String agent;
        try {
            agent = new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Verification(Check.MALFORMED, 0, null, null);
        }
        if (!MessageDigest.isEqual(signature(callId, tenantId, agent, expiry).getBytes(StandardCharsets.US_ASCII),
                parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return new Verification(Check.WRONG_CALL, expiry, null, null);
        }
        String agentId = agent.isEmpty() ? null : agent;
        if (now.getEpochSecond() > expiry) {
            return new Verification(Check.EXPIRED, expiry, parts[3], agentId);
        }
        if (expiry - now.getEpochSecond() > MAX_LIFETIME.toSeconds()) {
            return new Verification(Check.MALFORMED, expiry, parts[3], agentId);
        }
        return new Verification(Check.VALID, expiry, parts[3], agentId);
    }

    private String signature(String callId, String tenantId, String agentId, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((VERSION + "\n" + callId + "\n" + tenantId + "\n" + agentId + "\n" + expiry)
                    .getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
