package io.sipai.testing.cluster;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One node of a {@link KafkaCluster}, run as its own JVM ({@code main}) so a test can kill it (SIGKILL) or freeze it
 * (SIGSTOP) like a failing host: a real KRaft node, broker and controller combined, with the replication settings of
 * production (replication 3, {@code min.insync.replicas} 2, internal topics likewise). Its log directory survives a
 * kill, so a restarted node rejoins with its data.
 *
 * <p>Arguments: {@code nodeId clusterId logDir port controllerPort voters}, where {@code voters} is
 * {@code 1@127.0.0.1:port,2@...} of every node's controller port.
 */
public final class BrokerNode {

    private BrokerNode() {
    }

    public static void main(String[] args) throws Exception {
        int nodeId = Integer.parseInt(args[0]);
        String clusterId = args[1];
        Path logDir = Path.of(args[2]);
        int port = Integer.parseInt(args[3]);
        int controllerPort = Integer.parseInt(args[4]);
        String voters = args[5];
        Files.createDirectories(logDir);
        Properties props = properties(nodeId, logDir, port, controllerPort, voters);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(nodeId, clusterId, logDir);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            stopped.countDown();
        }));
        server.startup();
        System.out.println("broker " + nodeId + " started on 127.0.0.1:" + port);
        stopped.await();
    }

    static Properties properties(int nodeId, Path logDir, int port, int controllerPort, String voters) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(nodeId));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", "3");
        props.put("min.insync.replicas", "2");
        props.put("offsets.topic.replication.factor", "3");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "3");
        props.put("transaction.state.log.min.isr", "2");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "3");
        props.put("share.coordinator.state.topic.min.isr", "2");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.min.session.timeout.ms", "1000");
        // A killed producer's open transaction is aborted soon, so a restarted Streams task does not wait minutes.
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // A transaction's first write to a partition waits on the broker (retried every 20 ms) while the producer's
        // previous commit is still being marked, instead of failing CONCURRENT_TRANSACTIONS back to the producer after
        // 100 ms and waiting out its retry backoff (100 ms doubling to 1 s): Streams commits every 100 ms.
        props.put("add.partitions.to.txn.retry.backoff.max.ms", "1000");
        // Followers notice a dead or frozen leader within seconds (production keeps the defaults).
        props.put("replica.lag.time.max.ms", "5000");
        props.put("broker.session.timeout.ms", "6000");
        props.put("broker.heartbeat.interval.ms", "1000");
        props.put("controller.quorum.fetch.timeout.ms", "4000");
        props.put("controller.quorum.election.timeout.ms", "1500");
        props.put("unclean.leader.election.enable", "false");
        // The log cleaner allocates its whole dedupe buffer (128 MiB by default) on the heap at startup: a node of a
        // 256 MiB heap died of OutOfMemoryError there when the heap was half full. Test topics are tiny.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return props;
    }

    private static void format(int nodeId, String clusterId, Path logDir) throws Exception {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        }
    }
}
