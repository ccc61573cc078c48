package io.sipai.bench.edge;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts a single in-JVM KRaft broker for an edge load test and prints its address; runs until killed. The edge
 * under test is started with {@code KAFKA_BOOTSTRAP_SERVERS} set to that address.
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
        System.out.println("broker " + broker.getBrokersAsString());
        new CountDownLatch(1).await();
    }
}
