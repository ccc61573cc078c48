package io.sipai.dispatcher.instances;

import java.util.Set;

/**
 * This instance's Kafka Streams client as the instance count sees it.
 *
 * @param run             changes whenever the service builds a new Streams client (a stop and start in one process)
 * @param running         the client is RUNNING (it joined the group and holds its tasks)
 * @param memberClientIds client ids of its stream threads' consumers, which are members of the group
 * @param activeTasks     the tasks it owns: a change means the group rebalanced
 */
public record LocalStreams(long run, boolean running, Set<String> memberClientIds, Set<String> activeTasks) {

    /** No Streams client, or one that has not started. */
    public static final LocalStreams NONE = new LocalStreams(0, false, Set.of(), Set.of());

    public LocalStreams {
        memberClientIds = Set.copyOf(memberClientIds);
        activeTasks = Set.copyOf(activeTasks);
    }
}
