package io.sipai.runtime;

import io.sipai.runtime.tracing.CallTracing;
import io.sipai.runtime.tracing.TracingSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Gives every sipai service its health endpoints, its validated Kafka settings, the Kafka readiness check and its
 * call tracing ({@link CallTracing}, off unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set).
 */
@AutoConfiguration
@EnableConfigurationProperties({KafkaSettings.class, TracingSettings.class})
@Import(HealthController.class)
public class ServiceRuntimeAutoConfiguration {

    @Bean(destroyMethod = "close")
    KafkaReadinessCheck kafkaReadinessCheck(KafkaSettings settings) {
        return new KafkaReadinessCheck(settings);
    }

    @Bean(destroyMethod = "close")
    CallTracing callTracing(TracingSettings settings, @Value("${spring.application.name:sipai}") String service) {
        return CallTracing.of(settings, service);
    }
}
