package io.sipai.dispatcher.delivery.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.sipai.runtime.ssrf.CheckedHttpConnection;
import io.sipai.runtime.ssrf.CheckedHttpResponse;
import io.sipai.runtime.ssrf.CheckedTarget;

/**
 * POSTs webhook bodies to checked addresses over HTTP/1.1, keeping idle connections per (address, port, host,
 * scheme) so a busy endpoint is not paying a TCP (and TLS) handshake per delivery. The connections are
 * service-runtime's {@link CheckedHttpConnection} (connected to the address the SSRF guard checked), keeping
 * {@value #KEPT_BODY_BYTES} bytes of each response body. Redirects are never followed: a 3xx is just a failed attempt.
 */
public final class HttpPoster implements AutoCloseable {

    /** Bytes of a response body kept for the attempt record. */
    static final int KEPT_BODY_BYTES = 1024;

    private record PoolKey(InetAddress address, int port, String host, boolean tls) {
    }

    private final Map<PoolKey, ConcurrentLinkedDeque<CheckedHttpConnection>> idle = new ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private final Duration totalTimeout;
    private final int maxIdlePerKey;

    /**
     * @param connectTimeout TCP (and TLS) connect timeout
     * @param totalTimeout   connect to the last response byte
     * @param maxIdlePerKey  idle connections kept per target: the per-endpoint concurrency, so a busy endpoint
     *                       reuses every connection instead of opening and closing the surplus
     */
    public HttpPoster(Duration connectTimeout, Duration totalTimeout, int maxIdlePerKey) {
        this.connectTimeout = connectTimeout;
        this.totalTimeout = totalTimeout;
        this.maxIdlePerKey = maxIdlePerKey;
    }

    /** Sends {@code body} with {@code headers}; any I/O failure or timeout is thrown. */
    public HttpResult post(CheckedTarget target, Map<String, String> headers, byte[] body) throws IOException {
        long deadline = System.nanoTime() + totalTimeout.toNanos();
        PoolKey key = new PoolKey(target.address(), target.port(), target.host(), target.tls());
        CheckedHttpConnection pooled = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (pooled != null) {
            try {
                return finish(key, pooled, pooled.post(target, headers, body, deadline));
            } catch (IOException e) {
                // The server may have closed the idle connection; a fresh one gets a fair try.
                pooled.close();
            }
        }
        CheckedHttpConnection fresh = CheckedHttpConnection.open(target, (int) connectTimeout.toMillis(),
                KEPT_BODY_BYTES);
        try {
            return finish(key, fresh, fresh.post(target, headers, body, deadline));
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private HttpResult finish(PoolKey key, CheckedHttpConnection connection, CheckedHttpResponse response)
            throws IOException {
        ConcurrentLinkedDeque<CheckedHttpConnection> queue = idle.get(key);
        if (connection.reusable() && queue.size() < maxIdlePerKey) {
            queue.offerFirst(connection);
        } else {
            connection.close();
        }
        return new HttpResult(response.status(), response.headers(), response.body());
    }

    @Override
    public void close() {
        idle.values().forEach(queue -> {
            for (CheckedHttpConnection connection = queue.poll(); connection != null; connection = queue.poll()) {
                try {
                    connection.close();
                } catch (IOException e) {
                    // Closing idle sockets at shutdown; nothing to recover.
                }
            }
        });
    }
}
