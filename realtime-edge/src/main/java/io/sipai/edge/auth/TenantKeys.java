package io.sipai.edge.auth;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.config.ApiKeyGrant;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.LivenessCheck;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The tenants' API keys that api-gateway grants ({@code POST /v1/api-keys}), read from the compacted
 * {@code tenant.api-keys.v1} (key: the key's lowercase hex SHA-256; a revoked key is a tombstone): all partitions,
 * from the beginning, without a consumer group, so every node holds every grant. Only digests ever reach the edge.
 * A key is accepted for {@code /realtime/voice} when its grant carries the {@code write} scope (the scope that
 * places calls through the API); api-gateway grants no key with the {@code admin} scope. Ready once the topic was read up to the end seen at start; not alive
 * when the loop cannot keep a consumer running. An undecodable grant is skipped with a warning.
 */
public final class TenantKeys implements SmartLifecycle, ReadinessCheck, LivenessCheck {

    private static final Logger LOG = LoggerFactory.getLogger(TenantKeys.class);
    private static final String CALLING_SCOPE = "write";

    private final Map<String, ApiKeyGrant> grants = new ConcurrentHashMap<>();
    private final Deserializer<ApiKeyGrant> values = Topics.TENANT_API_KEYS.valueSerde().deserializer();
    private final ConsumerLoop loop;

    /** @param clientId the node's client id; the loop's consumer adds {@code -api-keys} */
    public TenantKeys(KafkaSettings kafka, String clientId, MeterRegistry meters) {
        this.loop = ConsumerLoop.assigned("api-keys", Topics.TENANT_API_KEYS.name(), ConsumerLoop.From.BEGINNING)
                .kafka(kafka).clientId(clientId + "-api-keys").handler(this::handle).meters(meters).build();
    }

    /** The tenant of the key with this SHA-256 digest, when a grant lets it place calls; else null. */
    String tenantOf(byte[] digest) {
        ApiKeyGrant grant = grants.get(HexFormat.of().formatHex(digest));
        if (grant == null || !grant.getScopes().contains(CALLING_SCOPE)) {
            return null;
        }
        return grant.getTenantId();
    }

    void handle(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.key() == null) {
                continue;
            }
            String digest = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                grants.remove(digest);
                continue;
            }
            try {
                grants.put(digest, values.deserialize(record.topic(), record.value()));
            } catch (SerializationException e) {
                LOG.warn("api key grant at {}-{}@{} is not decodable: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
    }

    @Override
    public String name() {
        return "apiKeys";
    }

    @Override
    public boolean ready() {
        return loop.ready();
    }

    @Override
    public boolean alive() {
        return loop.alive();
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** With the agent directory, after the drain controller: a node stops reading grants only once it drained. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2;
    }
}
