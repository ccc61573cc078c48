package io.sipai.gateway.calls.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.telephony.RealtimeSettings;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.schemas.telephony.TelephonyToken;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/realtime/sessions}: a short-lived, single-use WebSocket URL of realtime-edge for one call of the
 * tenant with one agent, so a browser talks to an agent without a long-lived API key in its WebSocket. The URL
 * carries a per-call token in the format of the telephony media tokens ({@link TelephonyToken}), which
 * realtime-edge accepts once in the whole deployment and which binds the connection to the call and the agent.
 */
@RestController
public class RealtimeSessionsController {

    /** Long enough to open the socket right away; a page that waits asks for a new session. */
    static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final String PATH = "/realtime/voice";

    private final CallStore calls;
    private final TelephonyToken tokens;
    private final String edgeBase;
    private final Clock clock;

    public RealtimeSessionsController(CallStore calls, TelephonySettings telephony, RealtimeSettings realtime,
                                      Clock clock) {
        this.calls = calls;
        this.tokens = new TelephonyToken(telephony.tokenSecret());
        this.edgeBase = realtime.wsUrl().replaceAll("/+$", "");
        this.clock = clock;
    }

    /** What the client sends: the agent to talk to. */
    public record SessionRequest(String agentId) {
    }

    /** The session: open {@code url} (once, before {@code expiresAt}) and start the call {@code callId}. */
    public record Session(String callId, String agentId, String url, Instant expiresAt) {
    }

    @PostMapping("/v1/realtime/sessions")
    public ResponseEntity<Session> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                         @RequestBody SessionRequest body) {
        String tenantId = caller.require(Scope.WRITE).tenantId();
        if (body.agentId() == null || body.agentId().isBlank()) {
            throw ApiException.invalid("agentId", "required");
        }
        if (!calls.agentExists(tenantId, body.agentId())) {
            throw ApiException.notFound("agent", body.agentId());
        }
        String callId = "web-" + UUID.randomUUID();
        Instant expiresAt = clock.instant().plus(LIFETIME);
        Map<String, String> query = new LinkedHashMap<>();
        query.put(TelephonyToken.PARAM_CALL_ID, callId);
        query.put(TelephonyToken.PARAM_TENANT_ID, tenantId);
        query.put(TelephonyToken.PARAM_TOKEN, tokens.mint(callId, tenantId, body.agentId(), expiresAt));
        String url = edgeBase + PATH + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        // The URL is a credential for one call: no cache may keep it.
        return ResponseEntity.status(HttpStatus.CREATED).header("Cache-Control", "no-store")
                .body(new Session(callId, body.agentId(), url, expiresAt));
    }
}
