package io.sipai.edge.tools.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sipai.runtime.ssrf.CheckedHttpConnection;
import io.sipai.runtime.ssrf.CheckedHttpResponse;
import io.sipai.runtime.ssrf.CheckedTarget;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfRefusedException;

/**
 * One HTTP/1.1 POST to a customer's URL, guarded against SSRF the way webhook-dispatcher delivers webhooks (both use
 * service-runtime's {@link CheckedHttpConnection}): the {@link SsrfGuard} resolves the host once and checks every
 * address at connect time, and the socket connects to the checked address, so a DNS answer that changes between
 * check and connect cannot reach an internal address. A fresh connection per call ({@code Connection: close});
 * redirects are not followed. Blocking: callers run it on a virtual thread.
 */
public final class GuardedPost {

    /** What the endpoint answered; {@code body} is cut at the caller's limit. */
    public record Result(int status, String body) {
    }

    private GuardedPost() {
    }

    /**
     * @param timeoutMs connect and TLS handshake, and the whole exchange, may take this long
     * @param maxBody   bytes of the response body kept (the rest is not read)
     * @throws SsrfRefusedException when the guard refuses the URL or any address it resolves to
     */
    public static Result post(SsrfGuard guard, String url, Map<String, String> headers, byte[] body, int timeoutMs,
                              int maxBody) throws SsrfRefusedException, IOException {
        CheckedTarget target = guard.resolve(url);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        Map<String, String> closing = new LinkedHashMap<>();
        closing.put("Connection", "close");
        closing.putAll(headers);
        try (CheckedHttpConnection connection = CheckedHttpConnection.open(target, timeoutMs, maxBody)) {
            CheckedHttpResponse response = connection.post(target, closing, body, deadline);
            return new Result(response.status(), response.body());
        }
    }
}
