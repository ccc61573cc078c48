package io.sipai.testing.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.Node;

/**
 * A Kafka cluster of three nodes replicated as in production (replication 3, {@code min.insync.replicas} 2) for
 * tests that lose brokers: a node can be killed, frozen and restarted while clients keep running. The contract's
 * topics ({@link io.sipai.schemas.Topics#ALL}) exist once it started. Nodes are numbered from 1.
 *
 * <p>{@link #start} gives node processes on this machine ({@link ProcessKafkaCluster}); with the system property
 * {@code sipai.cluster=containers} (Maven profile {@code containers}) the same tests run on Testcontainers.
 */
public interface KafkaCluster extends AutoCloseable {

    /** Starts a cluster of the kind the system property {@code sipai.cluster} names (default: processes). */
    static KafkaCluster start(Path dir) {
        return "containers".equals(System.getProperty("sipai.cluster")) ? ContainerKafkaCluster.start()
                : ProcessKafkaCluster.start(dir);
    }

    /** Bootstrap servers: every node. */
    String bootstrapServers();

    /** An admin client of the cluster; the caller closes it. */
    Admin admin();

    /** How many nodes the cluster has. */
    int size();

    /** Kills the node at once (SIGKILL, or a killed container), like a lost host. */
    void kill(int id);

    /** Freezes the node (SIGSTOP, or a paused container): it keeps its sockets but answers nothing. */
    void pause(int id);

    /** Thaws a frozen node. */
    void resume(int id);

    /** Starts a killed node again and waits until every node is registered. */
    void restart(int id);

    /** Waits until {@code count} brokers are registered and answer. */
    void awaitBrokers(int count, Duration timeout);

    /** The id of the node leading the partition now. */
    default int leaderOf(String topic, int partition) {
        try (Admin admin = admin()) {
            Node leader = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().get(partition).leader();
            if (leader == null) {
                throw new IllegalStateException(topic + "-" + partition + " has no leader");
            }
            return leader.id();
        } catch (Exception e) {
            throw new IllegalStateException("cannot find the leader of " + topic + "-" + partition, e);
        }
    }

    /**
     * The node coordinating the open or last transaction of a transactional id starting with {@code prefix} (e.g. a
     * Kafka Streams application's {@code <application.id>-}), if the cluster knows one.
     */
    default OptionalInt transactionCoordinatorOf(String prefix) {
        try (Admin admin = admin()) {
            // The ongoing ones first: after a stream thread was replaced, its old id lingers in another state.
            List<String> ids = admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                    .filter(listing -> listing.transactionalId().startsWith(prefix))
                    .sorted(Comparator.comparing((TransactionListing listing) -> listing.state()
                            != TransactionState.ONGOING).thenComparing(TransactionListing::transactionalId))
                    .map(TransactionListing::transactionalId).toList();
            if (ids.isEmpty()) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(admin.describeTransactions(ids.subList(0, 1)).all().get(10, TimeUnit.SECONDS)
                    .get(ids.getFirst()).coordinatorId());
        } catch (Exception e) {
            throw new IllegalStateException("cannot find the transaction coordinator of " + prefix + "*", e);
        }
    }

    /** The id of the node that is the active KRaft controller now. */
    default int activeController() {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
        } catch (Exception e) {
            throw new IllegalStateException("cannot find the active controller", e);
        }
    }

    @Override
    void close();
}
