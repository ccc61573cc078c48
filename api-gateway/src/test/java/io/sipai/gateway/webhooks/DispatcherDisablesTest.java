package io.sipai.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.sipai.config.WebhookSubscription;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.webhooks.internal.DispatcherDisables;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

/**
 * A disable made by webhook-dispatcher (410, or 5 days of failures) reaches the API on the real broker and database:
 * the subscription shows disabled, an edit keeps it disabled as a higher version unless the request enables it, and
 * an edit that raced the disable is republished disabled as the next version, so gateway and dispatcher agree.
 */
class DispatcherDisablesTest extends GatewayTest {

    private static final Map<String, Object> SPEC = Map.of("url", "https://example.com/hook",
            "eventTypes", List.of("*"));

    private static WebhookSubscription latest(String id) {
        return TestKafka.readAll(Topics.WEBHOOK_SUBSCRIPTIONS).stream().filter(r -> r.getKey().equals(id))
                .map(Map.Entry::getValue).reduce((a, b) -> b).orElseThrow();
    }

    /** What the dispatcher writes when it disables {@code seen}: the same record, disabled, as the next version. */
    private static void dispatcherDisables(WebhookSubscription seen) {
        TestKafka.produce(Topics.WEBHOOK_SUBSCRIPTIONS, seen.getSubscriptionId(), List.of(
                WebhookSubscription.newBuilder(seen).setEnabled(false).setVersion(seen.getVersion() + 1)
                        .setUpdatedAt(Instant.now()).build()));
    }

    /** Waits until the gateway's loop has committed everything now on the topic. */
    private static void awaitAllRead() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers()))) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (TopicPartitionInfo partition : admin.describeTopics(List.of(Topics.WEBHOOK_SUBSCRIPTIONS.name()))
                    .allTopicNames().get().get(Topics.WEBHOOK_SUBSCRIPTIONS.name()).partitions()) {
                ends.put(new TopicPartition(Topics.WEBHOOK_SUBSCRIPTIONS.name(), partition.partition()),
                        OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(ends).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(DispatcherDisables.GROUP_ID).partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitShown(String key, String id, boolean enabled, long version) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Answer hook = call("GET", "/v1/webhooks/" + id, key, null);
            assertThat(hook.json().get("enabled").booleanValue()).isEqualTo(enabled);
            assertThat(hook.json().get("version").longValue()).isEqualTo(version);
        });
    }

    @Test
    void givenADispatcherDisable_thenTheApiShowsItAndAnEditKeepsItDisabledUnlessTheRequestEnablesIt() {
        // given a subscription (version 1) that the dispatcher disabled (version 2)
        String key = newTenant("disabled-hooks");
        String id = call("POST", "/v1/webhooks", key, SPEC).json().get("id").stringValue();
        dispatcherDisables(latest(id));

        // when the API has learned of it
        awaitShown(key, id, false, 2);

        // then an edit that does not name the state keeps it disabled, as version 3, and publishes that
        Answer edited = call("PUT", "/v1/webhooks/" + id, key, Map.of("url", "https://example.com/new-hook",
                "eventTypes", List.of("call.ended")));
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("enabled").booleanValue()).isFalse();
        assertThat(edited.json().get("version").longValue()).isEqualTo(3);
        assertThat(latest(id)).satisfies(published -> {
            assertThat(published.getVersion()).isEqualTo(3);
            assertThat(published.getEnabled()).isFalse();
            assertThat(published.getUrl()).isEqualTo("https://example.com/new-hook");
        });

        // and an edit that enables it explicitly re-enables it as version 4
        Answer enabled = call("PUT", "/v1/webhooks/" + id, key, Map.of("url", "https://example.com/new-hook",
                "eventTypes", List.of("call.ended"), "enabled", true));
        assertThat(enabled.json().get("enabled").booleanValue()).isTrue();
        assertThat(latest(id)).satisfies(published -> {
            assertThat(published.getVersion()).isEqualTo(4);
            assertThat(published.getEnabled()).isTrue();
        });
    }

    @Test
    void givenARotationPublishedWithTheVersionOfARacingDisable_thenItIsRepublishedDisabledAsTheNextVersion() {
        // given a subscription (version 1) whose secret is rotated (version 2, enabled) while the dispatcher,
        // still seeing version 1, disables it as version 2
        String key = newTenant("racing-hooks");
        String id = call("POST", "/v1/webhooks", key, SPEC).json().get("id").stringValue();
        WebhookSubscription seenByDispatcher = latest(id);
        call("POST", "/v1/webhooks/" + id + "/rotate-secret", key, null);
        dispatcherDisables(seenByDispatcher);

        // when the API has learned of the disable
        awaitShown(key, id, false, 3);

        // then the rotated subscription is published disabled as version 3, which the dispatcher takes over both
        assertThat(latest(id)).satisfies(published -> {
            assertThat(published.getVersion()).isEqualTo(3);
            assertThat(published.getEnabled()).isFalse();
            assertThat(published.getSecrets()).hasSize(2);
        });
    }

    @Test
    void givenTheGatewaysOwnRecordsAndAStaleDisable_thenNothingChanges() {
        // given a subscription the customer disabled (version 2) and edited again (version 3, still disabled)
        String key = newTenant("stale-hooks");
        String id = call("POST", "/v1/webhooks", key, SPEC).json().get("id").stringValue();
        WebhookSubscription first = latest(id);
        call("PUT", "/v1/webhooks/" + id, key, Map.of("url", "https://example.com/hook", "eventTypes",
                List.of("*"), "enabled", false));
        call("PUT", "/v1/webhooks/" + id, key, Map.of("url", "https://example.com/hook", "eventTypes",
                List.of("*"), "enabled", true));

        // when a disable of version 2 arrives late and the gateway has read it
        dispatcherDisables(first);
        awaitAllRead();

        // then the newer state stands and the gateway published nothing in answer
        awaitShown(key, id, true, 3);
        assertThat(latest(id)).satisfies(last -> {
            assertThat(last.getVersion()).isEqualTo(2);
            assertThat(last.getEnabled()).isFalse();
        });
    }
}
