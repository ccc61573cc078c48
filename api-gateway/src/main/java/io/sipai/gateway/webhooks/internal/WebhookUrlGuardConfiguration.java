package io.sipai.gateway.webhooks.internal;

import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SSRF guard that webhook subscription URLs must pass, with the same allow-list setting as the dispatcher
 * ({@code WEBHOOK_ALLOWED_HOSTS}, development and tests only).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SsrfSettings.class)
public class WebhookUrlGuardConfiguration {

    @Bean
    SsrfGuard webhookUrlGuard(SsrfSettings settings) {
        return settings.guard();
    }
}
