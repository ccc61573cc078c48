package io.sipai.edge.agents;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.sipai.config.AgentConfig;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every agent's configuration, kept in memory and updated live from the compacted {@code agent.config.v1} (key
 * agentId). All partitions are read from the beginning without a consumer group, so every edge node holds the full
 * table. A record with a lower version than the one held is ignored; {@code deleted=true} or a tombstone removes
 * the agent. Ready once the topic was read up to the end offsets seen at start.
 */
public final class AgentDirectory implements ReadinessCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentDirectory.class);

    private final Map<String, AgentConfig> agents = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, AgentConfig> consumer;
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;

    /** @param clientConfig the service's Kafka connection and security config (KafkaSettings#clientConfig()) */
    public AgentDirectory(Map<String, Object> clientConfig, String clientId) {
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.putAll(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-agent-config",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                Topics.AGENT_CONFIG.valueSerde().deserializer());
        this.thread = Thread.ofPlatform().name("edge-agent-config").daemon().start(this::run);
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
        return caughtUp && thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void apply(String agentId, AgentConfig config) {
        if (config == null || config.getDeleted()) {
            agents.remove(agentId);
            return;
        }
        agents.merge(agentId, config, (held, incoming) -> incoming.getVersion() < held.getVersion() ? held : incoming);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AGENT_CONFIG.name(),
                    Duration.ofMinutes(5)).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
            while (running) {
                pollOnce();
                if (!caughtUp && endAtStart.entrySet().stream()
                        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                    caughtUp = true;
                    LOG.info("agent configuration loaded: {} agents", agents.size());
                }
            }
        } catch (WakeupException e) {
            LOG.debug("agent configuration reader stopped");
        } catch (RuntimeException e) {
            LOG.error("agent configuration reader failed: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        try {
            for (ConsumerRecord<String, AgentConfig> record : consumer.poll(Duration.ofMillis(500))) {
                apply(record.key(), record.value());
            }
        } catch (RecordDeserializationException e) {
            LOG.warn("unreadable agent configuration at {} offset {} skipped: {}", e.topicPartition(), e.offset(),
                    e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }
}
