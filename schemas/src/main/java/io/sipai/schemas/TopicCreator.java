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
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates every topic of {@link Topics#ALL} that does not exist yet, with its partitions, cleanup policy and
 * configs. Idempotent: existing topics are left alone, but one whose partition count differs from the registry is
 * reported, because keyed ordering depends on it.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

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
            createMissing(missing);
            List<String> mismatches = checkPartitions(topics, existing);
            List<String> created = missing.stream().map(NewTopic::name).toList();
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

    private void createMissing(List<NewTopic> missing)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // Another instance may have created some of them at the same moment; that is success.
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
    }

    private List<String> checkPartitions(Collection<Topic<?, ?>> topics, List<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (existing.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(existing).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
}
