package io.sipai.edge.agents;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.config.AgentConfig;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.LivenessCheck;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.kafka.UnprocessableRecordException;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.context.SmartLifecycle;

/**
 * Every agent's configuration, kept in memory and updated live from the compacted {@code agent.config.v1} (key
 * agentId). Input: all partitions, read from the beginning without a consumer group by an assigned
 * {@link ConsumerLoop}, so every edge node holds the full table. A record with a lower version than the one held is
 * ignored, so a redelivered or reordered record never brings an old configuration back; {@code deleted=true} or a
 * tombstone removes the agent. An undecodable record is skipped (the loop counts it). Ready once the topic was read
 * up to the end offsets seen at start; not alive when the loop cannot keep a consumer running.
 */
public final class AgentDirectory implements SmartLifecycle, ReadinessCheck, LivenessCheck {

    private final Map<String, AgentConfig> agents = new ConcurrentHashMap<>();
    private final Deserializer<AgentConfig> values = Topics.AGENT_CONFIG.valueSerde().deserializer();
    private final ConsumerLoop loop;

    /** @param clientId the node's client id; the loop's consumer adds {@code -agent-config} */
    public AgentDirectory(KafkaSettings kafka, String clientId, MeterRegistry meters) {
        this.loop = ConsumerLoop.assigned("agent-config", Topics.AGENT_CONFIG.name(), ConsumerLoop.From.BEGINNING)
                .kafka(kafka).clientId(clientId + "-agent-config").handler(this::handle).meters(meters).build();
    }

    /** The agent's current configuration, if the agent exists. */
    public Optional<AgentConfig> find(String agentId) {
        return agentId == null ? Optional.empty() : Optional.ofNullable(agents.get(agentId));
    }

    /** How many agents are known. */
    public int size() {
        return agents.size();
    }

    @Override
    public String name() {
        return "agentConfig";
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

    /** Before the drain controller and the heartbeats: agents stay known while live calls drain. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2;
    }

    void handle(List<ConsumerRecord<byte[], byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            if (record.key() == null) {
                throw new UnprocessableRecordException(i, QuarantineReason.MALFORMED, "agent configuration "
                        + "without a key", null);
            }
            String agentId = new String(record.key(), StandardCharsets.UTF_8);
            AgentConfig config;
            try {
                config = record.value() == null ? null : values.deserialize(record.topic(), record.value());
            } catch (SerializationException e) {
                throw new UnprocessableRecordException(i, QuarantineReason.MALFORMED, "unreadable agent "
                        + "configuration of " + agentId + ": " + e.getMessage(), e);
            }
            apply(agentId, config);
        }
    }

    void apply(String agentId, AgentConfig config) {
        if (config == null || config.getDeleted()) {
            agents.remove(agentId);
            return;
        }
        agents.merge(agentId, config, (held, incoming) -> incoming.getVersion() < held.getVersion() ? held : incoming);
    }
}
