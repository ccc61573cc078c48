package io.sipai.edge;

import io.sipai.runtime.web.HttpLimits;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Applies the shared {@link HttpLimits} to the edge's Jetty (service-runtime applies them to Tomcat). Jetty reads the
 * request line and headers into one buffer of {@code HTTP_MAX_HEADER_BYTES}, which also bounds the header count (it
 * has no count limit of its own); it has one connection idle timeout for reading a request and for waiting for the
 * next one, so the shorter of {@code HTTP_HEADER_TIMEOUT_MS} and {@code HTTP_IDLE_TIMEOUT_SEC} applies (an upgraded
 * WebSocket gets {@code EDGE_WS_IDLE_TIMEOUT_SEC} instead); bodies above {@code HTTP_MAX_BODY_BYTES} get 413. Runs
 * after Spring Boot's own Jetty customizer, so these are the limits in force.
 */
public final class JettyHttpLimits implements WebServerFactoryCustomizer<JettyServletWebServerFactory>, Ordered {

    private final HttpLimits limits;

    public JettyHttpLimits(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void customize(JettyServletWebServerFactory factory) {
        factory.setMaxConnections(limits.maxConnections());
        factory.addServerCustomizers(this::apply);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private void apply(Server server) {
        long idleMs = Math.min(limits.headerTimeoutMs(), limits.idleTimeoutMs());
        for (Connector connector : server.getConnectors()) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                HttpConfiguration config = http.getHttpConfiguration();
                config.setRequestHeaderSize(limits.maxHeaderBytes());
                config.setIdleTimeout(limits.headerTimeoutMs());
            }
            if (connector instanceof AbstractConnector network) {
                network.setIdleTimeout(idleMs);
            }
        }
        SizeLimitHandler bodies = new SizeLimitHandler(limits.maxBodyBytes(), -1);
        bodies.setHandler(server.getHandler());
        server.setHandler(bodies);
    }
}
