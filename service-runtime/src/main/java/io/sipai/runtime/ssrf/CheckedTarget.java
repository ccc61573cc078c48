package io.sipai.runtime.ssrf;

import java.net.InetAddress;
import java.net.URI;

import io.sipai.runtime.ssrf.internal.LiteralBytes;

/**
 * A webhook URL whose host resolved to an address the guard accepted. Connect to {@link #address()} (never
 * resolve {@link #host()} again), and send {@link #host()} as the Host header and TLS server name.
 *
 * @param uri     the URL as configured
 * @param host    host name (or IP literal) from the URL
 * @param port    port, the scheme's default when absent
 * @param tls     true for https
 * @param address the checked address to connect to
 */
public record CheckedTarget(URI uri, String host, int port, boolean tls, InetAddress address) {

    /** Path and query to put on the request line. */
    public String requestTarget() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** True when the URL names a host rather than an IP literal: only a name is sent as TLS server name (SNI). */
    public boolean hostIsName() {
        return LiteralBytes.kind(host) == LiteralBytes.HostKind.NAME;
    }

    /** Host header value: the port only when it is not the scheme's default. */
    public String hostHeader() {
        String name = host.contains(":") ? "[" + host + "]" : host;
        boolean defaultPort = tls ? port == 443 : port == 80;
        return defaultPort ? name : name + ":" + port;
    }
}
