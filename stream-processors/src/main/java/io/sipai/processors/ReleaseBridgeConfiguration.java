package io.sipai.processors;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.processors.admission.internal.ReleaseBridge;
import io.sipai.processors.admission.internal.ReleaseOffsets;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The release bridge ({@link ReleaseBridge}: CallEnded on {@code call.events.v1} -> ReleaseSlot on
 * {@code call.admission.v1}) as a grouped consumer loop, group {@link StreamsSettings#releasesGroupId()}: the
 * instances share the event topic's partitions, and a killed instance's partitions move after the processors'
 * session timeout, like their Streams tasks. A readiness and liveness check of the service, like the Streams apps
 * (the bridge itself fails liveness when its writes keep failing). A group without offsets starts where the admission
 * app's own releases stopped ({@link ReleaseOffsets}).
 */
@Configuration(proxyBeanMethods = false)
public class ReleaseBridgeConfiguration {

    static final String LOOP = "admission-releases";

    @Bean
    ReleaseBridge releaseBridge(KafkaSettings kafka, StreamsSettings streams) {
        return ReleaseBridge.create(kafka, streams.releasesGroupId() + "-producer");
    }

    @Bean
    ConsumerLoop releaseLoop(StreamsAppsConfiguration.TopicsReady topics, KafkaSettings kafka,
                             StreamsSettings streams, ReleaseBridge bridge, MeterRegistry meters) {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            ReleaseOffsets.takeOver(admin, streams.releasesGroupId(), streams.admissionApplicationId(),
                    Duration.ofSeconds(30));
        }
        return ConsumerLoop.grouped(LOOP, streams.releasesGroupId(), List.of(Topics.CALL_EVENTS.name()))
                .kafka(kafka)
                .clientId(streams.releasesGroupId())
                .handler(bridge)
                .overrides(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, streams.sessionTimeoutMs(),
                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, streams.heartbeatIntervalMs()))
                .meters(meters)
                .build();
    }
}
