package io.sipai.processors;

import java.time.Duration;
import java.util.Properties;

import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.processors.admission.internal.AdmissionTopology;
import io.sipai.processors.timeline.internal.TimelineTopology;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.Topology;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the two Kafka Streams applications of the service, admission and timeline, each a
 * {@link StreamsApplication} with its own application id and commit interval: admission commits often because its
 * decisions are waited for, the timeline less often for throughput. Each is a readiness check (the service is ready
 * once both are RUNNING) and a liveness check (a client that died fails {@code /health}); both start and stop with
 * the Spring context. Both run with the failover settings of {@link StreamsSettings} (short session timeout, short
 * transaction timeout, a standby replica), so a survivor takes over a killed instance's tasks within seconds, and
 * their final configuration is checked for exactly-once before anything starts ({@link StreamsGuarantees}). The
 * contract's topics are created first (idempotently), since Streams refuses to start on missing source topics.
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

    @Bean
    StreamsApplication admissionApp(TopicsReady topics, KafkaSettings kafka, StreamsSettings streams,
                                    AdmissionSettings admission, CallTracing tracing) {
        // One thread: the admission work is one task.
        return app(kafka, AdmissionTopology.build(admission, tracing), new StreamsApplication.Options(
                streams.admissionApplicationId(), streams.stateDirectory(),
                Duration.ofMillis(streams.admissionCommitIntervalMs()), 1, streams.overrides()));
    }

    @Bean
    StreamsApplication timelineApp(TopicsReady topics, KafkaSettings kafka, StreamsSettings streams,
                                   CallTracing tracing) {
        return app(kafka, TimelineTopology.build(streams.timelineOptions(), tracing),
                new StreamsApplication.Options(streams.timelineApplicationId(), streams.stateDirectory(),
                        Duration.ofMillis(streams.timelineCommitIntervalMs()), streams.timelineThreads(),
                        streams.overrides()));
    }

    /** An application on the checked configuration: a broken guarantee stops startup naming the variable. */
    private static StreamsApplication app(KafkaSettings kafka, Topology topology, StreamsApplication.Options options) {
        Properties properties = StreamsApplication.properties(kafka, options);
        StreamsGuarantees.check(properties);
        return new StreamsApplication(options.applicationId(), topology, properties);
    }
}
