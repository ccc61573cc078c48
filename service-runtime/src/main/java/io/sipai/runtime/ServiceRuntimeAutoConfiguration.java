package io.sipai.runtime;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Gives every sipai service its health endpoints, its validated Kafka settings and the Kafka readiness check. */
@AutoConfiguration
@EnableConfigurationProperties(KafkaSettings.class)
@Import(HealthController.class)
public class ServiceRuntimeAutoConfiguration {

    @Bean(destroyMethod = "close")
    KafkaReadinessCheck kafkaReadinessCheck(KafkaSettings settings) {
        return new KafkaReadinessCheck(settings);
    }
}
