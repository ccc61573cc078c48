package io.sipai.testing.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link KafkaCluster} on Testcontainers, where a Docker engine exists (the GitHub workflow's {@code containers}
 * profile): three {@code apache/kafka} containers in KRaft combined mode on one network, each published on a fixed
 * host port so its advertised address survives a restart. Killing a node kills its container; freezing one pauses
 * it; a restart starts the same container, with its data.
 */
final class ContainerKafkaCluster implements KafkaCluster {

    static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.1.1");

    private final Network network = Network.newNetwork();
    private final List<GenericContainer<?>> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    private ContainerKafkaCluster(int size) {
        String clusterId = Uuid.randomUuid().toString();
        String voters = IntStream.rangeClosed(1, size).mapToObj(id -> id + "@kafka-" + id + ":9094")
                .collect(Collectors.joining(","));
        for (int id = 1; id <= size; id++) {
            int port = FreePorts.next();
            ports.add(port);
            GenericContainer<?> node = new GenericContainer<>(IMAGE).withNetwork(network)
                    .withNetworkAliases("kafka-" + id).withEnv(environment(id, clusterId, voters, port))
                    .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1)
                            .withStartupTimeout(Duration.ofMinutes(2)));
            node.setPortBindings(List.of(port + ":9092"));
            nodes.add(node);
        }
    }

    private static Map<String, String> environment(int id, String clusterId, String voters, int port) {
        return Map.ofEntries(Map.entry("CLUSTER_ID", clusterId), Map.entry("KAFKA_NODE_ID", String.valueOf(id)),
                Map.entry("KAFKA_PROCESS_ROLES", "broker,controller"),
                Map.entry("KAFKA_LISTENERS", "PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:9093,"
                        + "CONTROLLER://0.0.0.0:9094"),
                Map.entry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://localhost:" + port + ",BROKER://kafka-" + id
                        + ":9093"),
                Map.entry("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                        "PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER"),
                Map.entry("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
                Map.entry("KAFKA_CONTROLLER_QUORUM_VOTERS", voters),
                Map.entry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"),
                Map.entry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3"), Map.entry("KAFKA_MIN_INSYNC_REPLICAS", "2"),
                Map.entry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3"),
                Map.entry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3"),
                Map.entry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2"),
                Map.entry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0"),
                Map.entry("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "1000"),
                Map.entry("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS", "1000"),
                Map.entry("KAFKA_ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS", "1000"),
                Map.entry("KAFKA_REPLICA_LAG_TIME_MAX_MS", "5000"),
                Map.entry("KAFKA_BROKER_SESSION_TIMEOUT_MS", "6000"),
                Map.entry("KAFKA_BROKER_HEARTBEAT_INTERVAL_MS", "1000"));
    }

    static ContainerKafkaCluster start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("sipai.cluster=containers needs a Docker engine");
        }
        ContainerKafkaCluster cluster = new ContainerKafkaCluster(3);
        cluster.nodes.parallelStream().forEach(GenericContainer::start);
        cluster.awaitBrokers(3, Duration.ofMinutes(2));
        try (Admin admin = cluster.admin()) {
            new TopicCreator(admin, (short) 3, Duration.ofSeconds(60)).createAll(Topics.ALL);
        }
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return ports.stream().map(port -> "localhost:" + port).collect(Collectors.joining(","));
    }

    @Override
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    @Override
    public int size() {
        return nodes.size();
    }

    private String containerId(int id) {
        return nodes.get(id - 1).getContainerId();
    }

    @Override
    public void kill(int id) {
        DockerClientFactory.instance().client().killContainerCmd(containerId(id)).exec();
    }

    @Override
    public void pause(int id) {
        DockerClientFactory.instance().client().pauseContainerCmd(containerId(id)).exec();
    }

    @Override
    public void resume(int id) {
        DockerClientFactory.instance().client().unpauseContainerCmd(containerId(id)).exec();
    }

    @Override
    public void restart(int id) {
        DockerClientFactory.instance().client().startContainerCmd(containerId(id)).exec();
        awaitBrokers(nodes.size(), Duration.ofMinutes(2));
    }

    @Override
    public void awaitBrokers(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                if (admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000)).nodes()
                        .get(5, TimeUnit.SECONDS).size() >= count) {
                    return;
                }
            } catch (Exception e) {
                // Not up yet: try again.
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the container cluster did not have " + count + " brokers within " + timeout);
    }

    @Override
    public void close() {
        nodes.forEach(GenericContainer::stop);
        network.close();
    }
}
