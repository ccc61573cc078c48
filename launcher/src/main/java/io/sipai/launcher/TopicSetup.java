package io.sipai.launcher;

import java.time.Duration;
import java.util.Map;

import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The topic-creation step: every topic of the registry, idempotently. Also {@code launcher.jar create-topics}. */
final class TopicSetup {

    private TopicSetup() {
    }

    static TopicCreator.Result createAll(String bootstrapServers, int replicationFactor) {
        return createAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), replicationFactor);
    }

    /** On the cluster the services use, with their security settings (TLS, SASL, MSK IAM). */
    static TopicCreator.Result createAll(KafkaSettings kafka) {
        return createAll(kafka.clientConfig(), kafka.replicationFactor());
    }

    private static TopicCreator.Result createAll(Map<String, Object> clientConfig, int replicationFactor) {
        try (Admin admin = Admin.create(clientConfig)) {
            return new TopicCreator(admin, (short) replicationFactor, Duration.ofSeconds(60)).createAll(Topics.ALL);
        }
    }
}
