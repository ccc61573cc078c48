package io.sipai.edge.auth.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.sipai.edge.auth.TelephonyTokens;
import io.sipai.edge.auth.TwilioSignature;
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
 * Upgrade checks of the telephony endpoints. Both refuse with 503 while draining. Twilio: when
 * {@code TWILIO_AUTH_TOKEN} is set, {@code X-Twilio-Signature} over the public URL (401 missing, 403 wrong); the
 * per-call token arrives later in {@code start.customParameters}. jambonz: the per-call token in the query
 * ({@code callId}, {@code tenantId}, {@code token}; 401 missing/malformed/expired, 403 wrong call or replayed), the
 * call's ids kept as session attributes.
 */
public final class TelephonyHandshake {

    /** Session attribute prefix for the query parameters of a jambonz upgrade. */
    public static final String QUERY_PREFIX = "sipai.query.";

    private final TelephonyTokens tokens;
    private final TwilioSignature twilio;
    private final String publicBaseUrl;
    private final DrainController drain;
    private final Clock clock;

    public TelephonyHandshake(TelephonyTokens tokens, TwilioSignature twilio, String publicBaseUrl,
                              DrainController drain, Clock clock) {
        this.tokens = tokens;
        this.twilio = twilio;
        this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null
                : publicBaseUrl.replaceAll("/+$", "");
        this.drain = drain;
        this.clock = clock;
    }

    /** Maps a token check to the HTTP status of a refused upgrade, or null when valid. */
    public static HttpStatus status(TelephonyTokens.Result result) {
        return switch (result) {
            case VALID -> null;
            case MISSING, MALFORMED, EXPIRED -> HttpStatus.UNAUTHORIZED;
            case WRONG_CALL, REPLAYED -> HttpStatus.FORBIDDEN;
            case CACHE_FULL -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    /** Interceptor of {@code /telephony/twilio/stream}. */
    public HandshakeInterceptor twilio() {
        return new Interceptor() {
            @Override
            public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                           WebSocketHandler handler, Map<String, Object> attributes) {
                if (drain.draining()) {
                    return Problems.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, "draining");
                }
                if (!twilio.configured()) {
                    return true;
                }
                String signature = request.getHeaders().getFirst("X-Twilio-Signature");
                if (signature == null) {
                    return Problems.refuse(request, response, HttpStatus.UNAUTHORIZED, "X-Twilio-Signature missing");
                }
                if (!twilio.valid(publicUrl(request), signature)) {
                    return Problems.refuse(request, response, HttpStatus.FORBIDDEN, "X-Twilio-Signature invalid");
                }
                return true;
            }
        };
    }

    /** Interceptor of {@code /telephony/jambonz/listen}. */
    public HandshakeInterceptor jambonz() {
        return new Interceptor() {
            @Override
            public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                           WebSocketHandler handler, Map<String, Object> attributes) {
                if (drain.draining()) {
                    return Problems.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, "draining");
                }
                String callId = Problems.query(request, "callId");
                String tenantId = Problems.query(request, "tenantId");
                TelephonyTokens.Result result = tokens.verify(callId, tenantId, Problems.query(request, "token"),
                        clock.instant());
                HttpStatus refused = status(result);
                if (refused != null) {
                    return Problems.refuse(request, response, refused, "per-call token " + result.name()
                            .toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
                }
                for (String name : List.of("callId", "tenantId", "agentId", "campaignId", "from", "to",
                        "direction", "outRate", "mode")) {
                    String value = Problems.query(request, name);
                    if (value != null) {
                        attributes.put(QUERY_PREFIX + name, value);
                    }
                }
                return true;
            }
        };
    }

    /** jambonz may send audio.jambonz.org, audio.drachtio.org or a deployment's own name: accept whatever it offers. */
    public static DefaultHandshakeHandler anySubprotocol() {
        return new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy()) {
            @Override
            protected String selectProtocol(List<String> requested, WebSocketHandler handler) {
                return requested.isEmpty() ? null : requested.getFirst();
            }
        };
    }

    private String publicUrl(ServerHttpRequest request) {
        String base = publicBaseUrl;
        if (base == null) {
            String proto = request.getHeaders().getFirst("X-Forwarded-Proto");
            boolean secure = proto != null ? proto.equalsIgnoreCase("https") || proto.equalsIgnoreCase("wss")
                    : "https".equals(request.getURI().getScheme()) || "wss".equals(request.getURI().getScheme());
            String host = request.getHeaders().getFirst(HttpHeaders.HOST);
            base = (secure ? "wss://" : "ws://") + (host != null ? host : request.getURI().getAuthority());
        }
        String query = request.getURI().getRawQuery();
        return base + request.getURI().getRawPath() + (query == null ? "" : "?" + query);
    }

    private abstract static class Interceptor implements HandshakeInterceptor {
        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Exception exception) {
            // Nothing to undo.
        }
    }
}
