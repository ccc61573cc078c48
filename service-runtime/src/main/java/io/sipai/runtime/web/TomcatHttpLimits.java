package io.sipai.runtime.web;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Applies {@link HttpLimits} to Tomcat's connectors and refuses HTTP/0.9 ({@link RefuseHttp09Valve}). It runs after Spring Boot's own customizer (which applies the
 * {@code server.*} defaults), so these limits are the ones in force.
 */
public final class TomcatHttpLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final HttpLimits limits;

    public TomcatHttpLimits(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(this::apply);
        factory.addEngineValves(new RefuseHttp09Valve());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private void apply(Connector connector) {
        connector.setMaxPostSize(limits.maxBodyBytes());
        if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
            http.setMaxHttpRequestHeaderSize(limits.maxHeaderBytes());
            http.setMaxHeaderCount(limits.maxHeaderCount());
            http.setMaxTrailerSize(limits.maxHeaderBytes());
            // Tomcat skips an unread body up to this, then closes the connection instead of reading on.
            http.setMaxSwallowSize(limits.maxBodyBytes());
            http.setConnectionTimeout(limits.headerTimeoutMs());
            http.setKeepAliveTimeout(limits.idleTimeoutMs());
            http.setMaxConnections(limits.maxConnections());
        }
    }
}
