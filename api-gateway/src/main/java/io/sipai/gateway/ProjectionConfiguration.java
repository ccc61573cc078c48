package io.sipai.gateway;

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.gateway.projection.Projection;
import io.sipai.gateway.projection.ProjectionSettings;
import io.sipai.gateway.projection.internal.ProjectionHandler;
import io.sipai.gateway.projection.internal.ProjectionLag;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.ConsumerLoop;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The read-model projector: a grouped consumer loop (group {@link Projection#GROUP_ID}, one member per gateway
 * instance) over the projected topics, handled by {@link ProjectionHandler}. The loop is a readiness and liveness
 * check of the service; it quarantines the records the projection can never write to {@code call.quarantine.v1}
 * and retries every other failure. The group's session timeout ({@link ProjectionSettings}) is how soon the other
 * instances take over the partitions of one that died.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectionSettings.class)
public class ProjectionConfiguration {

    @Bean
    ConsumerLoop projectionLoop(KafkaSettings kafka, ProjectionSettings settings, ProjectionHandler handler,
                                MeterRegistry meters, Clock clock) {
        ConsumerLoop loop = ConsumerLoop.grouped(Projection.LOOP, Projection.GROUP_ID, Projection.TOPICS)
                .kafka(kafka)
                .handler(handler)
                // Short fetch waits keep a fresh call visible within tens of milliseconds; a short metadata age
                // finds the projected topics soon after they are created.
                .overrides(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                        ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000,
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, settings.sessionTimeoutMs(),
                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, settings.heartbeatIntervalMs()))
                .meters(meters)
                .build();
        ProjectionLag.register(meters, loop, handler, clock);
        return loop;
    }
}
