package io.sipai.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.gateway.limits.internal.CounterTable;
import io.sipai.gateway.web.ApiSettings;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's admission client (the platform's shared one): outbound calls and provider-announced calls take
 * their slot through it, waiting at most {@code API_ADMISSION_TIMEOUT_MS}. It is a readiness check. And the loop that
 * keeps admission's counters for the console and the API.
 */
@Configuration(proxyBeanMethods = false)
public class AdmissionConfiguration {

    /**
     * Reads admission's published counters into {@link CounterTable} (every instance the whole compacted topic,
     * from its beginning), for {@code GET /v1/admission/counters}.
     */
    @Bean
    ConsumerLoop admissionCountersLoop(KafkaSettings kafka, CounterTable table, MeterRegistry meters) {
        return ConsumerLoop.assigned("admission-counters", Topics.ADMISSION_COUNTERS.name(),
                        ConsumerLoop.From.BEGINNING)
                .kafka(kafka).clientId("api-gateway-admission-counters-" + UUID.randomUUID()).handler(table)
                .meters(meters).build();
    }

    @Bean(destroyMethod = "close")
    AdmissionClient admissionClient(KafkaSettings kafka, ApiSettings settings, Clock clock, MeterRegistry meters,
                                    CallTracing tracing) {
        return new AdmissionClient(kafka.clientConfig(), "api-gateway",
                Duration.ofMillis(settings.admissionTimeoutMs()), "API_ADMISSION_TIMEOUT_MS", clock, meters, tracing);
    }
}
