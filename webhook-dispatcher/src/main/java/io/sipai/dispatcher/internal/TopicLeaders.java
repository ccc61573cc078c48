package io.sipai.dispatcher.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sipai.schemas.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Waits until every partition of freshly created topics has a leader. Producing into a partition whose leader is
 * still being elected gets NOT_LEADER_OR_FOLLOWER; an idempotent producer with several batches in flight can then
 * have a later batch appended before the retried first one, and the broker answers OUT_OF_ORDER_SEQUENCE_NUMBER
 * to every retry of it from then on (fatal for a transactional producer, an endless retry loop for an idempotent
 * one). Waiting for leaders before the first record removes the race.
 */
public final class TopicLeaders {

    private static final long POLL_MILLIS = 50;

    private TopicLeaders() {
    }

    /** Returns once every partition of {@code topics} has a leader; throws after {@code timeout}. */
    public static void await(Admin admin, Collection<? extends Topic<?, ?>> topics, Duration timeout) {
        List<String> names = topics.stream().map(topic -> topic.name()).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!allLed(admin, names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics without a partition leader after " + timeout + ": "
                            + names);
                }
                // Leader election on a new topic takes milliseconds; a short poll keeps startup quick.
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic leaders", e);
        }
    }

    private static boolean allLed(Admin admin, List<String> names) throws InterruptedException {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                    .get(10, TimeUnit.SECONDS);
            return topics.values().stream().flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            // Metadata of a topic created a moment ago may not be visible yet: ask again.
            return false;
        }
    }
}
