package io.sipai.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sipai.gateway.projection.Projection;
import io.sipai.gateway.tenants.internal.GatewayInstances;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The gateway counts its instances from the projector's consumer group on the real broker: a second member (here a
 * consumer standing in for another gateway, on a topic of its own so the projection keeps its partitions) is seen,
 * and its departure too.
 */
class GatewayInstancesTest extends GatewayTest {

    @Autowired
    GatewayInstances instances;

    @Test
    void aSecondGatewayInTheProjectionGroupIsCountedAndItsDepartureToo() {
        // given the gateways running now (this test JVM may hold other test contexts, each a gateway)
        instances.refresh();
        int before = instances.count();
        assertThat(before).isPositive();
        // when another member joins the projection group
        try (KafkaConsumer<byte[], byte[]> other = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers(),
                ConsumerConfig.GROUP_ID_CONFIG, Projection.GROUP_ID), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            other.subscribe(List.of("gateway-instances-probe"));
            // then both are counted
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                other.poll(Duration.ofMillis(200));
                instances.refresh();
                assertThat(instances.count()).isEqualTo(before + 1);
            });
        }
        // and once it left, it is no longer counted
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            instances.refresh();
            assertThat(instances.count()).isEqualTo(before);
        });
    }
}
