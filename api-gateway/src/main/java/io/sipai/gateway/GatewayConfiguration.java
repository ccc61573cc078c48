package io.sipai.gateway;

import java.time.Clock;

import io.sipai.gateway.calls.EventStreamSettings;
import io.sipai.gateway.telephony.RealtimeSettings;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.tenants.internal.AccessLimits;
import io.sipai.gateway.web.ApiSettings;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the settings records several features read (each telephony provider registers its own) and the
 * tenants feature's access limits, the clock every timestamp comes from, and the SSRF guard webhook subscription
 * URLs must pass, with the same allow-list setting as the dispatcher ({@code WEBHOOK_ALLOWED_HOSTS}, development
 * and tests only).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiSettings.class, AccessLimits.class, TelephonySettings.class,
        RealtimeSettings.class, SsrfSettings.class, EventStreamSettings.class})
public class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SsrfGuard webhookUrlGuard(SsrfSettings settings) {
        return settings.guard();
    }
}
