package io.sipai.processors.testing;

import java.nio.file.Path;
import java.util.Properties;

import io.sipai.processors.internal.StateDirectories;
import io.sipai.processors.internal.StreamsApp;
import io.sipai.schemas.Topic;
import io.sipai.testing.events.Events;
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
        Path stateDir = StateDirectories.choose(null);
        Properties props = StreamsApp.properties(applicationId, "localhost:9092", stateDir, 100, 1, 1);
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
