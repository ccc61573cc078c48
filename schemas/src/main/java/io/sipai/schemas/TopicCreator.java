package io.sipai.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates every topic of {@link Topics#ALL} that does not exist yet, with its partitions, cleanup policy and
 * configs. Idempotent: existing topics are left alone, but one whose partition count differs from the registry is
 * reported, because keyed ordering depends on it.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private static final Duration METADATA_RETRY = Duration.ofMillis(100);

    private final Admin admin;
    private final short replicationFactor;
    private final Duration timeout;

    /**
     * @param admin             an admin client of the target cluster
     * @param replicationFactor 1 on a single local broker, 3 in production
     * @param timeout           how long to wait for the cluster
     */
    public TopicCreator(Admin admin, short replicationFactor, Duration timeout) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /** What a run did. */
    public record Result(List<String> created, List<String> existing, List<String> partitionMismatches) {
    }

    /** Creates the missing topics of {@code topics}. */
    public Result createAll(Collection<Topic<?, ?>> topics) {
        try {
            Set<String> present = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            for (Topic<?, ?> topic : topics) {
                if (present.contains(topic.name())) {
                    existing.add(topic.name());
                } else {
                    missing.add(newTopic(topic));
                }
            }
            List<String> created = createMissing(missing, existing);
            List<String> mismatches = checkPartitions(topics, existing);
            LOG.info("topics: created {}, already present {}", created, existing.size());
            return new Result(created, List.copyOf(existing), mismatches);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }

    private NewTopic newTopic(Topic<?, ?> topic) {
        Map<String, String> configs = new HashMap<>(topic.configs());
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanupPolicy().configValue());
        if (replicationFactor > 1) {
            configs.putIfAbsent(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(replicationFactor - 1));
        }
        return new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(configs);
    }

    /**
     * Creates {@code missing} and returns the names it created. A topic the cluster says exists goes to
     * {@code existing}: another instance may have created it at the same moment, or the broker that answered
     * {@code listTopics} had not yet learned of a topic the controller already holds.
     */
    private List<String> createMissing(List<NewTopic> missing, List<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> created = new ArrayList<>();
        if (missing.isEmpty()) {
            return created;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                existing.add(result.getKey());
            }
        }
        return created;
    }

    private List<String> checkPartitions(Collection<Topic<?, ?>> topics, List<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (existing.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions = describe(existing);
        List<String> mismatches = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            TopicDescription description = descriptions.get(topic.name());
            if (description != null && description.partitions().size() != topic.partitions()) {
                String message = topic.name() + " has " + description.partitions().size()
                        + " partitions, the registry says " + topic.partitions();
                LOG.warn("{}", message);
                mismatches.add(message);
            }
        }
        return mismatches;
    }

    /** Describes {@code names}, waiting for a broker that has not yet learned of a topic just created. */
    private Map<String, TopicDescription> describe(List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames()
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(METADATA_RETRY.toMillis());
            }
        }
    }
}
