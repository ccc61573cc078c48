package io.sipai.runtime.web;

import static io.sipai.runtime.InvalidSettingException.inRange;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTP server limits every sipai service runs with, one record for Tomcat (api-gateway, webhook-dispatcher,
 * stream-processors: {@link TomcatHttpLimits}) and Jetty (realtime-edge applies it with its own customizer). Every
 * field has a default sensible for a public API; a value out of range stops the service at startup naming the
 * variable. The request line counts against {@code maxHeaderBytes} on both servers (each reads the request line and
 * the headers into one buffer), so there is no separate request-line limit.
 *
 * @param maxHeaderBytes  {@code HTTP_MAX_HEADER_BYTES}: request line plus all headers (default 8192); beyond it
 *                        the server answers 400 (Tomcat) or 431/414 (Jetty)
 * @param maxHeaderCount  {@code HTTP_MAX_HEADER_COUNT}: headers per request (default 100); Tomcat only, Jetty has
 *                        no count limit and is bounded by {@code HTTP_MAX_HEADER_BYTES} (at most ~2,700 of the shortest
 *                        headers fit in 8 KiB)
 * @param maxBodyBytes    {@code HTTP_MAX_BODY_BYTES}: request body the server reads or skips for the application
 *                        (default 1 MiB): Tomcat reads forms up to it and closes the connection rather than skip a
 *                        larger unread body; Jetty answers 413 above it. The gateway's JSON bodies have the tighter
 *                        {@code API_MAX_BODY_BYTES}
 * @param headerTimeoutMs {@code HTTP_HEADER_TIMEOUT_MS}: longest pause while a request (line, headers, body) is
 *                        read before the server closes the connection (default 10000); this ends a slow-loris client
 *                        that pauses longer, and neither server holds a thread while it waits
 * @param idleTimeoutSec  {@code HTTP_IDLE_TIMEOUT_SEC}: how long a kept-alive connection may wait for its next
 *                        request (default 60; Jetty has one timeout for both, it takes the shorter)
 * @param maxConnections  {@code HTTP_MAX_CONNECTIONS}: open connections per service (default 10000, WebSocket calls
 *                        included); beyond it new connections wait in the accept backlog
 */
@ConfigurationProperties("http")
public record HttpLimits(Integer maxHeaderBytes, Integer maxHeaderCount, Integer maxBodyBytes,
                         Integer headerTimeoutMs, Integer idleTimeoutSec, Integer maxConnections) {

    public HttpLimits {
        maxHeaderBytes = inRange("HTTP_MAX_HEADER_BYTES", maxHeaderBytes, 8_192, 1_024, 65_536);
        maxHeaderCount = inRange("HTTP_MAX_HEADER_COUNT", maxHeaderCount, 100, 10, 1_000);
        maxBodyBytes = inRange("HTTP_MAX_BODY_BYTES", maxBodyBytes, 1_048_576, 1_024, 64 * 1_048_576);
        headerTimeoutMs = inRange("HTTP_HEADER_TIMEOUT_MS", headerTimeoutMs, 10_000, 100, 120_000);
        idleTimeoutSec = inRange("HTTP_IDLE_TIMEOUT_SEC", idleTimeoutSec, 60, 1, 3_600);
        maxConnections = inRange("HTTP_MAX_CONNECTIONS", maxConnections, 10_000, 16, 1_000_000);
    }

    /** All defaults; for tests and tools. */
    public static HttpLimits defaults() {
        return new HttpLimits(null, null, null, null, null, null);
    }

    /** Keep-alive wait in milliseconds. */
    public int idleTimeoutMs() {
        return idleTimeoutSec * 1_000;
    }
}
