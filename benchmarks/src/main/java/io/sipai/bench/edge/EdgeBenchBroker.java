package io.sipai.bench.edge;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts a single in-JVM KRaft broker for an edge load test, creates every topic of the registry (so the edge's
 * consumers find {@code agent.config.v1} at once) and prints its address; runs until killed. The edge under test is
 * started with {@code KAFKA_BOOTSTRAP_SERVERS} set to that address.
 */
public final class EdgeBenchBroker {

    private EdgeBenchBroker() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.kafkaPorts(port).brokerProperties(Map.of("offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
        broker.afterPropertiesSet();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            new TopicCreator(admin, (short) 1, Duration.ofSeconds(30)).createAll(Topics.ALL);
        }
        System.out.println("broker " + broker.getBrokersAsString());
        new CountDownLatch(1).await();
    }
}
