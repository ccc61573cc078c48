package io.sipai.edge.connection;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * An endpoint's check of a WebSocket upgrade request before the socket opens: credentials, a provider's signature,
 * a per-call token. {@link CheckedUpgrade} runs it after the drain check.
 */
@FunctionalInterface
public interface UpgradeCheck {

    /**
     * Checks the upgrade; may put session attributes the endpoint's connection reads once open.
     *
     * @return null to accept the upgrade, else why it is refused
     */
    Refusal check(ServerHttpRequest request, Map<String, Object> attributes);

    /** A refused upgrade: its HTTP status and the detail of the problem body. */
    record Refusal(HttpStatus status, String detail) {
    }

    /** A decoded query parameter of an upgrade request, or null. */
    static String query(ServerHttpRequest request, String name) {
        String raw = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst(name);
        return raw == null ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
