package io.sipai.launcher;

import java.time.Duration;
import java.util.Map;

import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The topic-creation step: every topic of the registry, idempotently. Also {@code launcher.jar create-topics}. */
final class TopicSetup {

    private TopicSetup() {
    }

    static TopicCreator.Result createAll(String bootstrapServers, int replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return new TopicCreator(admin, (short) replicationFactor, Duration.ofSeconds(60)).createAll(Topics.ALL);
        }
    }
}
