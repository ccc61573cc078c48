package io.sipai.gateway;

import java.time.Clock;
import java.time.Duration;

import io.sipai.gateway.web.ApiSettings;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.admission.AdmissionClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's admission client (the platform's shared one): outbound calls and provider-announced calls take
 * their slot through it, waiting at most {@code API_ADMISSION_TIMEOUT_MS}. It is a readiness check.
 */
@Configuration(proxyBeanMethods = false)
public class AdmissionConfiguration {

    @Bean(destroyMethod = "close")
    AdmissionClient admissionClient(KafkaSettings kafka, ApiSettings settings, Clock clock) {
        return new AdmissionClient(kafka.clientConfig(), "api-gateway",
                Duration.ofMillis(settings.admissionTimeoutMs()), "API_ADMISSION_TIMEOUT_MS", clock);
    }
}
