package io.sipai.schemas;

import java.util.Set;
import java.util.TreeSet;

/**
 * What one Kafka principal (one service's identity on the cluster) may do: the contract topics it reads, writes and
 * may create, the consumer groups it joins, and its Kafka Streams applications. A Streams application id
 * {@code app} stands for the group {@code app}, the internal topics {@code app-*} (changelogs, repartition topics)
 * and the transactional ids {@code app-*} of its exactly-once producers; those three are the only prefixed grants.
 * The IAM policies and ACLs in {@code infra/} are rendered from and checked against these records.
 *
 * @param principal      the service name, also the name of its IAM policy and ACL principal
 * @param reads          contract topics it consumes (a global store or an assigned consumer counts)
 * @param writes         contract topics it produces to
 * @param creates        contract topics it creates when missing at startup ({@link TopicCreator})
 * @param groups         consumer groups other than the Streams applications' own
 * @param streamsAppIds  application ids of its Kafka Streams applications
 */
public record KafkaAccess(String principal, Set<String> reads, Set<String> writes, Set<String> creates,
                          Set<String> groups, Set<String> streamsAppIds) {

    public KafkaAccess {
        reads = Set.copyOf(reads);
        writes = Set.copyOf(writes);
        creates = Set.copyOf(creates);
        groups = Set.copyOf(groups);
        streamsAppIds = Set.copyOf(streamsAppIds);
    }

    /** Every consumer group it uses: its own groups and one per Streams application. */
    public Set<String> allGroups() {
        Set<String> all = new TreeSet<>(groups);
        all.addAll(streamsAppIds);
        return all;
    }

    /** Contract topics it reads, writes or creates: each needs describe. */
    public Set<String> describes() {
        Set<String> all = new TreeSet<>(reads);
        all.addAll(writes);
        all.addAll(creates);
        return all;
    }
}
