package io.sipai.launcher;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM, keeping its log under one
 * directory so a restart keeps every topic and offset. Replication settings are 1 because there is one broker;
 * exactly-once Streams stalls otherwise.
 */
final class LocalKafka implements AutoCloseable {

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final BrokerSecurity security;
    private KafkaRaftServer server;

    LocalKafka(Path logDir, int port, int controllerPort) {
        this(logDir, port, controllerPort, null);
    }

    /** @param security a SASL_SSL listener instead of PLAINTEXT, or null */
    LocalKafka(Path logDir, int port, int controllerPort, BrokerSecurity security) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.security = security;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    void start() throws Exception {
        Files.createDirectories(logDir);
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(), false);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format();
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    private Properties brokerProperties() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        // One machine: a few partitions of the internal topics are plenty and start much faster than 50.
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // A transaction's first write to a partition waits on the broker while the previous commit is still being
        // marked, instead of failing CONCURRENT_TRANSACTIONS back to a Streams producer that commits every 100 ms.
        props.put("add.partitions.to.txn.retry.backoff.max.ms", "1000");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        // The log cleaner holds its dedupe buffer (128 MiB by default) on the launcher's heap for as long as it runs;
        // 16 MiB dedupes ~600,000 keys a pass, more than one machine's compacted topics hold.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        if (security != null) {
            security.apply(props, port, controllerPort);
        }
        return props;
    }

    private void format() throws Exception {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}
