package io.sipai.processors.internal;

import java.time.Duration;
import java.util.Properties;

import io.sipai.processors.StreamsSettings;
import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.processors.admission.AdmissionTopology;
import io.sipai.processors.timeline.TimelineTopology;
import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
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
        try (Admin admin = Admin.create(kafka.clientConfig())) {
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
                properties(kafka, streams.admissionApplicationId(), streams, streams.admissionCommitIntervalMs(), 1));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    StreamsApp timelineApp(TopicsReady topics, KafkaSettings kafka, StreamsSettings streams) {
        return new StreamsApp(streams.timelineApplicationId(), TimelineTopology.build(streams.timelineOptions()),
                properties(kafka, streams.timelineApplicationId(), streams, streams.timelineCommitIntervalMs(),
                        streams.timelineThreads()));
    }

    /** The processors' Streams configuration on top of the connection and security settings every client uses. */
    private static Properties properties(KafkaSettings kafka, String applicationId, StreamsSettings streams,
                                         long commitIntervalMs, int threads) {
        Properties props = StreamsApp.properties(applicationId, kafka.bootstrapServers(),
                StateDirectories.choose(streams.dataDir()), commitIntervalMs, threads, kafka.replicationFactor());
        props.putAll(kafka.clientConfig());
        return props;
    }
}
