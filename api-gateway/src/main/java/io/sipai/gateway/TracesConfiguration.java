package io.sipai.gateway;

import io.sipai.gateway.traces.TraceStore;
import io.sipai.gateway.traces.TraceViewSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's in-memory trace store ({@link TraceViewSettings}), filled only when its receiver is on. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TraceViewSettings.class)
public class TracesConfiguration {

    @Bean
    TraceStore traceStore(TraceViewSettings settings) {
        return new TraceStore(settings.maxCalls());
    }
}
