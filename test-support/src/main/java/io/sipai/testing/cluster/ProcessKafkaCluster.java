package io.sipai.testing.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * The default {@link KafkaCluster}: three KRaft nodes, each its own JVM process ({@link BrokerNode}), so killing
 * one is a SIGKILL and freezing one a SIGSTOP. Nodes log to {@code <dir>/broker-<id>.log}.
 */
final class ProcessKafkaCluster implements KafkaCluster {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final List<ChildProcess> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    private ProcessKafkaCluster(Path dir, int size) {
        String clusterId = Uuid.randomUuid().toString();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(FreePorts.next());
            controllerPorts.add(FreePorts.next());
        }
        String voters = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i)).collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            int id = i + 1;
            List<String> command = ChildProcess.java(List.of("-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    BrokerNode.class.getName(), String.valueOf(id), clusterId,
                    dir.resolve("broker-" + id).toString(), String.valueOf(ports.get(i)),
                    String.valueOf(controllerPorts.get(i)), voters));
            nodes.add(new ChildProcess("broker-" + id, command, Map.of(), dir.resolve("broker-" + id + ".log")));
        }
    }

    /** Starts three nodes under {@code dir}, waits until all are registered, and creates the contract's topics. */
    static ProcessKafkaCluster start(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ProcessKafkaCluster cluster = new ProcessKafkaCluster(dir, 3);
        cluster.nodes.forEach(ChildProcess::start);
        cluster.awaitBrokers(3, START_TIMEOUT);
        try (Admin admin = cluster.admin()) {
            new TopicCreator(admin, (short) 3, Duration.ofSeconds(60)).createAll(Topics.ALL);
        }
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    @Override
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    private ChildProcess node(int id) {
        return nodes.get(id - 1);
    }

    @Override
    public int size() {
        return nodes.size();
    }

    @Override
    public void kill(int id) {
        node(id).kill();
    }

    @Override
    public void pause(int id) {
        node(id).pause();
    }

    @Override
    public void resume(int id) {
        node(id).resume();
    }

    @Override
    public void restart(int id) {
        node(id).start();
        awaitBrokers(nodes.size(), START_TIMEOUT);
    }

    @Override
    public void awaitBrokers(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                int registered = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000)).nodes()
                        .get(5, TimeUnit.SECONDS).size();
                if (registered >= count) {
                    return;
                }
            } catch (Exception e) {
                // Not up yet: try again.
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("the cluster did not have " + count + " brokers within " + timeout
                + "; " + nodes.stream().map(node -> node.describe(15)).collect(Collectors.joining("; ")));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        // Killed, all at once: stopped gracefully, nodes wait for a controller quorum that is stopping too. Their
        // data lives in the test's directory and goes with it.
        ChildProcess.killAll(nodes);
    }
}
