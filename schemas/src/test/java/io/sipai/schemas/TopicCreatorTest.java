package io.sipai.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Runs against the one global in-JVM KRaft broker of this module's test run. */
class TopicCreatorTest {

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty("spring.embedded.kafka.brokers")));
    }

    @Test
    void createsEveryTopicOnceAndLeavesThemAloneTheSecondTime() throws Exception {
        try (Admin admin = admin()) {
            TopicCreator creator = new TopicCreator(admin, (short) 1, Duration.ofSeconds(30));

            TopicCreator.Result first = creator.createAll(Topics.ALL);
            TopicCreator.Result second = creator.createAll(Topics.ALL);

            assertThat(first.created()).hasSize(Topics.ALL.size());
            assertThat(second.created()).isEmpty();
            assertThat(second.existing()).hasSize(Topics.ALL.size());
            assertThat(second.partitionMismatches()).isEmpty();
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).containsAll(Topics.ALL.stream().map(Topic::name).toList());
            String policy = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    Topics.CALL_TIMELINE.name()))).all().get().values().iterator().next()
                    .get("cleanup.policy").value();
            assertThat(policy).isEqualTo("compact");
        }
    }

    @Test
    void reportsATopicWhosePartitionCountDiffersFromTheRegistry() throws Exception {
        try (Admin admin = admin()) {
            Topic<String, String> probe = new Topic<>("probe.mismatch.v1",
                    org.apache.kafka.common.serialization.Serdes.String(),
                    org.apache.kafka.common.serialization.Serdes.String(), 4, CleanupPolicy.DELETE, Map.of());
            admin.createTopics(List.of(new NewTopic(probe.name(), 2, (short) 1))).all().get();

            TopicCreator.Result result = new TopicCreator(admin, (short) 1, Duration.ofSeconds(30))
                    .createAll(List.of(probe));

            assertThat(result.partitionMismatches()).singleElement().asString().contains("probe.mismatch.v1");
        }
    }
}
