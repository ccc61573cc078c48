package io.sipai.processors.internal;

import java.time.Duration;
import java.util.Map;

import io.sipai.processors.StreamsSettings;
import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.processors.admission.AdmissionTopology;
import io.sipai.processors.timeline.TimelineTopology;
import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the two Kafka Streams applications of the service, admission and timeline, each with its own application
 * id and commit interval: admission commits often because its decisions are waited for, the timeline less often
 * for throughput. Both are readiness checks, so the service is ready once both are RUNNING. The contract's topics
 * are created first (idempotently), since Streams refuses to start on missing source topics.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AdmissionSettings.class, StreamsSettings.class})
public class StreamsAppsConfiguration {

    /** Marker that the contract's topics exist. */
    public record TopicsReady(int topics) {
    }

    @Bean
    TopicsReady topicsReady(KafkaSettings kafka) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicCreator(admin, kafka.replicationFactor().shortValue(), Duration.ofSeconds(60))
                    .createAll(Topics.ALL);
        }
        return new TopicsReady(Topics.ALL.size());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    StreamsApp admissionApp(TopicsReady topics, KafkaSettings kafka, StreamsSettings streams,
                            AdmissionSettings admission) {
        // One thread: the admission work is one task; the releaser's tasks are light.
        return new StreamsApp(streams.admissionApplicationId(), AdmissionTopology.build(admission),
                kafka.bootstrapServers(), StateDirectories.choose(streams.dataDir()),
                streams.admissionCommitIntervalMs(), 1, kafka.replicationFactor());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    StreamsApp timelineApp(TopicsReady topics, KafkaSettings kafka, StreamsSettings streams) {
        return new StreamsApp(streams.timelineApplicationId(), TimelineTopology.build(streams.timelineOptions()),
                kafka.bootstrapServers(), StateDirectories.choose(streams.dataDir()), streams.timelineCommitIntervalMs(),
                streams.timelineThreads(), kafka.replicationFactor());
    }
}
