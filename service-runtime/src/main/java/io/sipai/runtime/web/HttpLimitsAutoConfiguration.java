package io.sipai.runtime.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Binds and validates {@link HttpLimits} in every servlet service and applies them to Tomcat; realtime-edge, which
 * runs Jetty, applies the same record with its own customizer.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(HttpLimits.class)
public class HttpLimitsAutoConfiguration {

    /** Only where Tomcat is the server (the edge excludes it). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
    static class Tomcat {

        @Bean
        TomcatHttpLimits tomcatHttpLimits(HttpLimits limits) {
            return new TomcatHttpLimits(limits);
        }
    }
}
