package io.sipai.edge.voice.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.sipai.edge.auth.AllowedOrigins;
import io.sipai.edge.auth.ApiKeys;
import io.sipai.edge.auth.SignedUrls;
import io.sipai.edge.connection.UpgradeCheck;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.schemas.telephony.TelephonyToken;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;

/**
 * Authenticates {@code /realtime/voice} before the upgrade: 403 for a browser Origin that is neither the edge's own
 * nor in {@code REALTIME_ALLOWED_ORIGINS} ({@link AllowedOrigins}), 401 without a valid credential. Credentials:
 * {@code Authorization: Bearer}, {@code ?api_key=}, an API key offered as a {@code Sec-WebSocket-Protocol} (echoed
 * back, {@link #subprotocol}), a signed URL, or a session URL minted by api-gateway (a single-use token for one call
 * and agent, which binds the connection to them: {@link #SESSION_CALL}, {@link #SESSION_AGENT}). The tenant is
 * stored in the session attribute {@link #TENANT}.
 * Credentials never reach a log.
 */
public final class VoiceHandshake implements UpgradeCheck {

    /** Session attribute holding the authenticated tenant id. */
    public static final String TENANT = "sipai.tenant";
    /** Session attributes of a connection opened with a session token: the call and agent it is bound to. */
    public static final String SESSION_CALL = "sipai.session.call";
    public static final String SESSION_AGENT = "sipai.session.agent";
    /** Subprotocol a client may offer when it authenticates otherwise. */
    public static final String SUBPROTOCOL = "sipai.v1";

    private final ApiKeys keys;
    private final SignedUrls signedUrls;
    private final TelephonyTokens sessionTokens;
    private final AllowedOrigins origins;
    private final Clock clock;

    /** @param sessionTokens the single-use tokens api-gateway mints for realtime sessions (the media token format) */
    public VoiceHandshake(ApiKeys keys, SignedUrls signedUrls, TelephonyTokens sessionTokens, AllowedOrigins origins,
                          Clock clock) {
        this.keys = keys;
        this.signedUrls = signedUrls;
        this.sessionTokens = sessionTokens;
        this.origins = origins;
        this.clock = clock;
    }

    /** The subprotocol to answer: the offered API key, else {@value #SUBPROTOCOL} if offered, else none. */
    public String subprotocol(List<String> requested) {
        for (String protocol : requested) {
            if (keys.tenantOf(protocol) != null) {
                return protocol;
            }
        }
        return requested.contains(SUBPROTOCOL) ? SUBPROTOCOL : null;
    }

    @Override
    public Refusal check(ServerHttpRequest request, Map<String, Object> attributes) {
        if (!origins.allows(request.getHeaders().getOrigin(), request.getHeaders().getFirst(HttpHeaders.HOST))) {
            return new Refusal(HttpStatus.FORBIDDEN, "origin not allowed");
        }
        if (UpgradeCheck.query(request, TelephonyToken.PARAM_TOKEN) != null) {
            return checkSessionToken(request, attributes);
        }
        String tenant = authenticate(request);
        if (tenant == null) {
            return new Refusal(HttpStatus.UNAUTHORIZED,
                    "a valid API key (Bearer, api_key or subprotocol) or signed URL is required");
        }
        attributes.put(TENANT, tenant);
        return null;
    }

    /**
     * A session URL ({@code POST /v1/realtime/sessions}): {@code callId}, {@code tenantId} and {@code token}, the token
     * accepted once in the deployment for that call, tenant and agent; the connection is then bound to them.
     */
    private Refusal checkSessionToken(ServerHttpRequest request, Map<String, Object> attributes) {
        String callId = UpgradeCheck.query(request, TelephonyToken.PARAM_CALL_ID);
        String tenantId = UpgradeCheck.query(request, TelephonyToken.PARAM_TENANT_ID);
        TelephonyTokens.Verified verified = sessionTokens.verify(callId, tenantId, null,
                UpgradeCheck.query(request, TelephonyToken.PARAM_TOKEN), clock.instant());
        if (verified.result() != TelephonyTokens.Result.VALID) {
            return new Refusal(verified.result().refusalStatus(), verified.result().describe());
        }
        attributes.put(TENANT, tenantId);
        attributes.put(SESSION_CALL, callId);
        if (verified.agentId() != null && !verified.agentId().isEmpty()) {
            attributes.put(SESSION_AGENT, verified.agentId());
        }
        return null;
    }

    private String authenticate(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return keys.tenantOf(authorization.substring(7).strip());
        }
        String queryKey = UpgradeCheck.query(request, "api_key");
        if (queryKey != null) {
            return keys.tenantOf(queryKey);
        }
        for (String protocol : request.getHeaders().getOrEmpty("Sec-WebSocket-Protocol")) {
            for (String offered : protocol.split(",")) {
                String tenant = keys.tenantOf(offered.strip());
                if (tenant != null) {
                    return tenant;
                }
            }
        }
        String sig = UpgradeCheck.query(request, "sig");
        if (sig != null) {
            String tenant = UpgradeCheck.query(request, "tenant");
            SignedUrls.Result result = signedUrls.verify(request.getURI().getRawPath(), tenant,
                    UpgradeCheck.query(request, "exp"), sig, clock.instant());
            return result == SignedUrls.Result.VALID ? tenant : null;
        }
        return null;
    }
}
