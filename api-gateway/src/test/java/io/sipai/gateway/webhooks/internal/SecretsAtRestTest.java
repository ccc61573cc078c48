package io.sipai.gateway.webhooks.internal;

import static io.sipai.gateway.db.jooq.Tables.WEBHOOKS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.config.SigningSecret;
import io.sipai.config.WebhookSubscription;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.secrets.LocalKeyProvider;
import io.sipai.runtime.secrets.SecretBox;
import io.sipai.runtime.secrets.SecretsSettings;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

/**
 * Webhook signing secrets at rest: sealed in the webhooks table and on webhook.subscriptions.v1 (raw bytes searched
 * for the secret and its key's base64), legacy plaintext rows sealed at startup, and rows under a retired master key
 * re-wrapped under the active one.
 */
class SecretsAtRestTest extends GatewayTest {

    private static final String NEW_KEYS = SECRETS_KEYS + ",test2:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";

    @Autowired
    DSLContext db;
    @Autowired
    RecordPublisher publisher;
    @Autowired
    ObjectMapper mapper;
    @Autowired
    Clock clock;
    @Autowired
    SsrfGuard guard;
    @Autowired
    SecretBox box;

    @Test
    void givenACreatedAndRotatedWebhook_thenNeitherItsRowNorItsTopicRecordsHoldASecretInClear() {
        // given
        String key = newTenant("sealed-hooks");
        Answer created = call("POST", "/v1/webhooks", key, Map.of("url", "https://example.com/hook",
                "eventTypes", List.of("*")));
        String id = created.json().get("id").stringValue();
        String first = created.json().get("secret").stringValue();
        // when
        String second = call("POST", "/v1/webhooks/" + id + "/rotate-secret", key, null).json().get("secret")
                .stringValue();
        // then the row and every record of the subscription hold neither secret nor its key bytes' base64
        String column = db.fetchValue("select secrets from webhooks where subscription_id = ?", id).toString();
        List<byte[]> records = rawRecords(id);
        assertThat(records).hasSize(2);
        for (String secret : List.of(first, second)) {
            assertThat(column).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
            for (byte[] record : records) {
                assertThat(new String(record, StandardCharsets.ISO_8859_1))
                        .doesNotContain(secret.substring("whsec_".length()));
            }
        }
        // and the sealed values open, for this subscription only, to the secrets the API showed
        String owner = SecretBox.webhookOwner(tenantOf(key), id);
        assertThat(latest(id).getSecrets()).extracting(s -> box.open(s.getSecret(), owner))
                .containsExactly(second, first);
    }

    @Test
    void givenARowWrittenBeforeEncryption_whenTheMigrationRuns_thenItIsSealedAndPublishedOnceAsTheNextVersion() {
        // given a subscription whose row holds its secret in clear, as before encryption
        String key = newTenant("legacy-hooks");
        String id = call("POST", "/v1/webhooks", key, Map.of("url", "https://example.com/hook",
                "eventTypes", List.of("*"))).json().get("id").stringValue();
        String legacy = WebhookService.newSecret();
        db.update(WEBHOOKS).set(WEBHOOKS.SECRETS, "[{\"secret\":\"" + legacy + "\"}]")
                .where(WEBHOOKS.SUBSCRIPTION_ID.eq(id)).execute();
        SecretsMigration migration = new SecretsMigration(db, service(box), box, mapper, clock);

        // when the migration runs, twice
        migration.migrate();
        migration.migrate();

        // then the row is sealed, and one new version carries the sealed secret, which opens to the old one
        String column = db.fetchValue(WEBHOOKS.SECRETS, WEBHOOKS.SUBSCRIPTION_ID.eq(id));
        assertThat(column).doesNotContain(legacy.substring("whsec_".length())).contains(SecretBox.PREFIX);
        WebhookSubscription latest = latest(id);
        assertThat(latest.getVersion()).isEqualTo(2);
        assertThat(rawRecords(id)).hasSize(2);
        assertThat(box.open(latest.getSecrets().getFirst().getSecret(), SecretBox.webhookOwner(tenantOf(key), id)))
                .isEqualTo(legacy);
    }

    @Test
    void givenANewActiveMasterKey_whenTheMigrationRuns_thenOldRowsAreRewrappedAndOpenWithoutTheRetiredKey() {
        // given a subscription sealed under test1
        String key = newTenant("rotated-key-hooks");
        Answer created = call("POST", "/v1/webhooks", key, Map.of("url", "https://example.com/hook",
                "eventTypes", List.of("*")));
        String id = created.json().get("id").stringValue();
        String shown = created.json().get("secret").stringValue();
        SecretBox rotated = new SecretBox(new SecretsSettings(NEW_KEYS, "test2").keyProvider());

        // when a gateway with test2 active (test1 still listed) starts
        new SecretsMigration(db, service(rotated), rotated, mapper, clock).migrate();

        // then the row and the topic hold it under test2, and a box holding only test2 opens it
        LocalKeyProvider onlyNew = new SecretsSettings(NEW_KEYS.substring(NEW_KEYS.indexOf(",") + 1), null)
                .keyProvider();
        SigningSecret secret = latest(id).getSecrets().getFirst();
        assertThat(SecretBox.keyId(secret.getSecret())).isEqualTo("test2");
        assertThat(new SecretBox(onlyNew).open(secret.getSecret(), SecretBox.webhookOwner(tenantOf(key), id)))
                .isEqualTo(shown);
        assertThat(db.fetchValue(WEBHOOKS.SECRETS, WEBHOOKS.SUBSCRIPTION_ID.eq(id))).contains("enc:v1:test2:")
                .doesNotContain("enc:v1:test1:");
    }

    private WebhookService service(SecretBox secrets) {
        return new WebhookService(db, publisher, mapper, clock, guard, secrets);
    }

    private static WebhookSubscription latest(String id) {
        return TestKafka.readAll(Topics.WEBHOOK_SUBSCRIPTIONS).stream().filter(r -> r.getKey().equals(id))
                .map(Map.Entry::getValue).reduce((a, b) -> b).orElseThrow();
    }

    /** The raw value bytes of the subscription's records, as the broker stores them. */
    private static List<byte[]> rawRecords(String id) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "raw-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.WEBHOOK_SUBSCRIPTIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<byte[]> out = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (new String(record.key(), StandardCharsets.UTF_8).equals(id) && record.value() != null) {
                        out.add(record.value());
                    }
                }
            }
            return out;
        }
    }
}
