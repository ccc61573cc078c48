package io.sipai.edge.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upgrade interceptor of every endpoint: 503 while this node drains, then the endpoint's {@link UpgradeCheck}.
 * A refusal is answered with an RFC 9457 problem body and no socket is opened.
 */
public final class CheckedUpgrade implements HandshakeInterceptor {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DrainController drain;
    private final String drainingDetail;
    private final UpgradeCheck check;

    /** @param drainingDetail the problem detail of the 503 while draining */
    public CheckedUpgrade(DrainController drain, String drainingDetail, UpgradeCheck check) {
        this.drain = drain;
        this.drainingDetail = drainingDetail;
        this.check = check;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        if (drain.draining()) {
            return refuse(request, response, new UpgradeCheck.Refusal(HttpStatus.SERVICE_UNAVAILABLE,
                    drainingDetail));
        }
        UpgradeCheck.Refusal refusal = check.check(request, attributes);
        return refusal == null || refuse(request, response, refusal);
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        // Nothing to undo: attributes die with a failed handshake.
    }

    private static boolean refuse(ServerHttpRequest request, ServerHttpResponse response,
                                  UpgradeCheck.Refusal refusal) {
        response.setStatusCode(refusal.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        try {
            response.getBody().write(JSON.writeValueAsString(Map.of("type", "about:blank",
                    "title", refusal.status().getReasonPhrase(), "status", refusal.status().value(),
                    "detail", refusal.detail(), "instance", request.getURI().getRawPath()))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The status alone still tells the client; nothing else to do with a broken response stream.
            return false;
        }
        return false;
    }
}
