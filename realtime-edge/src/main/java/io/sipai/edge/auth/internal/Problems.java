package io.sipai.edge.auth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/** Refuses a WebSocket upgrade with an RFC 9457 problem body, and reads query parameters of an upgrade. */
final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    static boolean refuse(ServerHttpRequest request, ServerHttpResponse response, HttpStatus status, String detail) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        try {
            response.getBody().write(JSON.writeValueAsString(Map.of("type", "about:blank",
                    "title", status.getReasonPhrase(), "status", status.value(), "detail", detail,
                    "instance", request.getURI().getRawPath())).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The status alone still tells the client; nothing else to do with a broken response stream.
            return false;
        }
        return false;
    }

    /** A decoded query parameter, or null. */
    static String query(ServerHttpRequest request, String name) {
        String raw = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst(name);
        return raw == null ? null : java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
