package io.sipai.system.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples a consumer group's lag twice a second, as an operator's lag monitor would: the records of its topics not
 * yet committed by the group (end offset minus committed offset, summed over the partitions). A group that cannot
 * write (its database is down) commits nothing, so this lag grows during an outage even when the group's own
 * meters, which count from its last handled batch, do not.
 */
public final class ProjectionLagSampler implements AutoCloseable {

    /** One sample: when ({@link System#nanoTime()}) and how many records behind. */
    public record Sample(long at, long lag) {
    }

    private final Admin admin;
    private final String group;
    private final List<TopicPartition> partitions;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ProjectionLagSampler(Admin admin, String group, Map<String, Integer> partitionsByTopic) {
        this.admin = admin;
        this.group = group;
        this.partitions = partitionsByTopic.entrySet().stream().flatMap(topic -> java.util.stream.IntStream
                .range(0, topic.getValue()).mapToObj(p -> new TopicPartition(topic.getKey(), p))).toList();
        this.thread = Thread.ofPlatform().daemon().name("lag-" + group).start(this::run);
    }

    /** Starts sampling {@code group} on the topics (name to partition count); the sampler closes the admin. */
    public static ProjectionLagSampler start(Admin admin, String group, Map<String, Integer> partitionsByTopic) {
        return new ProjectionLagSampler(admin, group, partitionsByTopic);
    }

    /** The largest lag sampled between two {@link System#nanoTime()} readings. */
    public long maxBetween(long from, long to) {
        return samples.stream().filter(s -> s.at() >= from && s.at() <= to).mapToLong(Sample::lag).max().orElse(0);
    }

    private void run() {
        while (running) {
            try {
                samples.add(new Sample(System.nanoTime(), lag()));
            } catch (Exception e) {
                // A sample that fails is left out; the next one comes half a second later.
            }
            try {
                Thread.sleep(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long lag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(5, TimeUnit.SECONDS).forEach((partition, info) -> ends.put(partition, info.offset()));
        long lag = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata done = committed.get(partition);
            lag += Math.max(0, ends.getOrDefault(partition, 0L) - (done == null ? 0 : done.offset()));
        }
        return lag;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close();
    }
}
