package io.sipai.processors.admission.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the release bridge's consumer group starts the first time it runs. Until 2026-12-06 the admission app's own
 * tasks turned CallEnded into releases, and their offsets on {@code call.events.v1} are committed under the admission
 * app's group. A bridge group without offsets of its own takes those over, so an upgraded deployment goes on where
 * the old releases stopped instead of re-reading the topic's whole retention into the one-partition command log
 * (harmless for the counters, but every acquire would queue behind it). Without them (a new deployment) the group
 * starts at the earliest offset as usual. A failure here (no right to describe the old group, a group another
 * instance already joined) is logged and the bridge starts as if nothing was found.
 */
public final class ReleaseOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseOffsets.class);

    private ReleaseOffsets() {
    }

    /**
     * Commits {@code previousGroup}'s {@code call.events.v1} offsets for {@code group} when {@code group} has none.
     *
     * @return the offsets committed (empty when the group had its own, or nothing was found)
     */
    public static Map<TopicPartition, OffsetAndMetadata> takeOver(Admin admin, String group, String previousGroup,
                                                                  Duration timeout) {
        try {
            if (!eventOffsets(admin, group, timeout).isEmpty()) {
                return Map.of();
            }
            Map<TopicPartition, OffsetAndMetadata> previous = eventOffsets(admin, previousGroup, timeout);
            if (previous.isEmpty()) {
                return Map.of();
            }
            admin.alterConsumerGroupOffsets(group, previous).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("release bridge group {} starts where {} left {}: {} partitions", group, previousGroup,
                    Topics.CALL_EVENTS.name(), previous.size());
            return previous;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("release bridge group {}: could not take over the offsets of {} ({}); it reads {} from its "
                    + "committed or earliest offsets", group, previousGroup, e.getCause() != null ? e.getCause() : e,
                    Topics.CALL_EVENTS.name());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> eventOffsets(Admin admin, String group, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return all.entrySet().stream()
                .filter(entry -> entry.getValue() != null
                        && entry.getKey().topic().equals(Topics.CALL_EVENTS.name()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
