package io.sipai.edge.auth.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.sipai.edge.auth.ApiKeys;
import io.sipai.edge.auth.SignedUrls;
import io.sipai.edge.internal.DrainController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Authenticates {@code /realtime/voice} before the upgrade: 503 while draining, 403 for an Origin outside
 * {@code REALTIME_ALLOWED_ORIGINS}, 401 without a valid credential. Credentials: {@code Authorization: Bearer},
 * {@code ?api_key=}, an API key offered as a {@code Sec-WebSocket-Protocol} (echoed back), or a signed URL. The
 * tenant is stored in the session attribute {@link #TENANT}. Credentials never reach a log.
 */
public final class VoiceHandshake implements HandshakeInterceptor {

    /** Session attribute holding the authenticated tenant id. */
    public static final String TENANT = "sipai.tenant";
    /** Subprotocol a client may offer when it authenticates otherwise. */
    public static final String SUBPROTOCOL = "sipai.v1";

    private final ApiKeys keys;
    private final SignedUrls signedUrls;
    private final List<String> origins;
    private final DrainController drain;
    private final Clock clock;

    public VoiceHandshake(ApiKeys keys, SignedUrls signedUrls, List<String> origins, DrainController drain,
                          Clock clock) {
        this.keys = keys;
        this.signedUrls = signedUrls;
        this.origins = List.copyOf(origins);
        this.drain = drain;
        this.clock = clock;
    }

    /** The handshake handler that echoes the API-key subprotocol (or {@value #SUBPROTOCOL}). */
    public DefaultHandshakeHandler handshakeHandler() {
        return new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy()) {
            @Override
            protected String selectProtocol(List<String> requested, WebSocketHandler handler) {
                for (String protocol : requested) {
                    if (keys.tenantOf(protocol) != null) {
                        return protocol;
                    }
                }
                return requested.contains(SUBPROTOCOL) ? SUBPROTOCOL : null;
            }
        };
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        if (drain.draining()) {
            return Problems.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, "this edge node is draining");
        }
        String origin = request.getHeaders().getOrigin();
        if (origin != null && !origins.isEmpty() && !origins.contains(origin) && !origins.contains("*")) {
            return Problems.refuse(request, response, HttpStatus.FORBIDDEN, "origin not allowed");
        }
        String tenant = authenticate(request);
        if (tenant == null) {
            return Problems.refuse(request, response, HttpStatus.UNAUTHORIZED,
                    "a valid API key (Bearer, api_key or subprotocol) or signed URL is required");
        }
        attributes.put(TENANT, tenant);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        // Nothing to undo: attributes die with a failed handshake.
    }

    private String authenticate(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return keys.tenantOf(authorization.substring(7).strip());
        }
        String queryKey = Problems.query(request, "api_key");
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
        String sig = Problems.query(request, "sig");
        if (sig != null) {
            String tenant = Problems.query(request, "tenant");
            SignedUrls.Result result = signedUrls.verify(request.getURI().getRawPath(), tenant,
                    Problems.query(request, "exp"), sig, clock.instant());
            return result == SignedUrls.Result.VALID ? tenant : null;
        }
        return null;
    }
}
