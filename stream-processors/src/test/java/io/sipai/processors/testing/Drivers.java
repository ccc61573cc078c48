package io.sipai.processors.testing;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.Topic;
import io.sipai.testing.events.Events;
import io.sipai.testing.streams.StateDirs;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** TopologyTestDriver set up with the same Streams configuration the service runs with. */
public final class Drivers {

    private Drivers() {
    }

    public static TopologyTestDriver driver(Topology topology, String applicationId) {
        Properties props = StreamsApplication.properties(KafkaSettings.plaintext("localhost:9092"),
                new StreamsApplication.Options(applicationId, StateDirs.inMemory(), Duration.ofMillis(100), 1, Map.of()));
        if (Boolean.getBoolean("sipai.ttd.alos")) {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        }
        return new TopologyTestDriver(topology, props, Events.T0);
    }

    public static <K, V> TestInputTopic<K, V> input(TopologyTestDriver driver, Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    public static <K, V> TestOutputTopic<K, V> output(TopologyTestDriver driver, Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
