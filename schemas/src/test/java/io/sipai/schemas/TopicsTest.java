package io.sipai.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicConstantIsInTheRegistryExactlyOnce() throws IllegalAccessException {
        List<Topic<?, ?>> constants = new java.util.ArrayList<>();
        for (Field field : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Topic.class) {
                constants.add((Topic<?, ?>) field.get(null));
            }
        }
        assertThat(Topics.ALL).containsExactlyInAnyOrderElementsOf(constants);
    }

    @Test
    void topicNamesAreUniqueAndVersioned() {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();
        assertThat(names).doesNotHaveDuplicates();
        assertThat(names).allMatch(name -> name.matches("[a-z]+(\\.[a-z-]+)+\\.v\\d+"), "name.v<N>");
    }

    @Test
    void admissionCommandsLiveOnOnePartitionSoOneTaskHoldsEveryCounter() {
        assertThat(Topics.CALL_ADMISSION.partitions()).isEqualTo(1);
    }

    @Test
    void tablesAreCompactedAndLogsAreNot() {
        assertThat(Arrays.asList(Topics.CALL_TIMELINE, Topics.AGENT_CONFIG, Topics.CAMPAIGN_CONFIG,
                Topics.WEBHOOK_SUBSCRIPTIONS)).allMatch(topic -> topic.cleanupPolicy() == CleanupPolicy.COMPACT);
        assertThat(Arrays.asList(Topics.CALL_EVENTS, Topics.CALL_ADMISSION, Topics.WEBHOOK_OUTBOX))
                .allMatch(topic -> topic.cleanupPolicy() == CleanupPolicy.DELETE);
    }

    @Test
    void callKeyedTopicsShareOnePartitionCountSoACallMapsToTheSamePartitionNumberEverywhere() {
        assertThat(Arrays.asList(Topics.CALL_EVENTS, Topics.CALL_ADMISSION_DECISIONS, Topics.CALL_TIMELINE,
                Topics.CALL_TIMELINE_ENTRIES)).allMatch(topic -> topic.partitions() == Topics.CALL_PARTITIONS);
    }
}
