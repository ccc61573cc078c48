package io.sipai.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class TopicOwnershipTest {

    private static final Set<String> REGISTRY = Topics.ALL.stream().map(Topic::name).collect(Collectors.toSet());

    @Test
    void everyTopicNamedInTheTableIsInTheRegistry() {
        for (KafkaAccess access : TopicOwnership.ALL) {
            assertThat(REGISTRY).as(access.principal()).containsAll(access.describes());
        }
    }

    @Test
    void everyRegistryTopicHasAProducerAndTheCreateTopicsTaskCreatesThemAll() {
        for (Topic<?, ?> topic : Topics.ALL) {
            assertThat(TopicOwnership.producers(topic)).as(topic.name()).isNotEmpty();
        }
        assertThat(TopicOwnership.TOPIC_INIT.creates()).isEqualTo(REGISTRY);
        assertThat(TopicOwnership.TOPIC_INIT.reads()).isEmpty();
        assertThat(TopicOwnership.TOPIC_INIT.writes()).isEmpty();
    }

    @Test
    void onlyTheGatewayAndTheDispatcherReadTopicsCarryingSecrets() {
        for (KafkaAccess access : TopicOwnership.ALL) {
            Set<String> secretReads = new HashSet<>(access.reads());
            secretReads.retainAll(TopicOwnership.SECRET_TOPICS);
            if (!TopicOwnership.SECRET_READERS.contains(access.principal())) {
                assertThat(secretReads).as(access.principal()).isEmpty();
            }
        }
        assertThat(TopicOwnership.consumers(Topics.WEBHOOK_SUBSCRIPTIONS)).doesNotContain("realtime-edge");
    }

    @Test
    void groupsAndStreamsApplicationIdsBelongToOnePrincipalAndNoInternalPrefixCoversAContractTopic() {
        List<String> groups = TopicOwnership.ALL.stream().flatMap(a -> a.allGroups().stream()).toList();
        assertThat(groups).doesNotHaveDuplicates();
        for (KafkaAccess access : TopicOwnership.ALL) {
            for (String app : access.streamsAppIds()) {
                assertThat(REGISTRY).noneMatch(topic -> topic.startsWith(app + "-"));
                assertThat(groups).filteredOn(g -> !g.equals(app) && g.startsWith(app + "-"))
                        .allMatch(g -> access.groups().contains(g), "a group under another's prefix");
            }
        }
    }
}
