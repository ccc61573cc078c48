package io.sipai.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

import io.sipai.runtime.ServiceMain;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The startup guard of the processors' delivery guarantees: the running service's two Streams apps run
 * exactly_once_v2, and the clients Kafka Streams makes from their configuration are idempotent producers with
 * {@code acks=all} and {@code read_committed} consumers; every client built through {@link KafkaClients} keeps them
 * too; the failover settings reach the clients; and an override that would break a guarantee stops startup with
 * one line naming the variable.
 */
class KafkaGuaranteesTest {

    /** A status line logback prints on System.err about itself, e.g. {@code 20:43:03,830 |-WARN in ...}. */
    private static final Pattern LOGBACK_STATUS = Pattern.compile("\\d{2}:\\d{2}:\\d{2},\\d{3} \\|-");

    private static String prefix() {
        return "guard-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void bothStreamsAppsRunExactlyOnceWithIdempotentProducersReadCommittedConsumersAndTheFailoverSettings() {
        // given
        String prefix = prefix();
        // when
        try (ConfigurableApplicationContext processors = new SpringApplicationBuilder(ProcessorsApplication.class)
                .run("--server.port=0", "--kafka.bootstrap-servers=" + TestKafka.brokers(),
                        "--processors.application-id-prefix=" + prefix)) {
            Map<String, StreamsApplication> apps = processors.getBeansOfType(StreamsApplication.class);

            // then
            assertThat(apps.values()).extracting(StreamsApplication::applicationId)
                    .containsExactlyInAnyOrder(prefix + "-admission", prefix + "-timeline");
            apps.values().forEach(app -> {
                Properties properties = app.properties();
                StreamsConfig config = new StreamsConfig(properties);
                assertThat(properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).as(app.applicationId())
                        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
                Map<String, Object> producer = config.getProducerConfigs("check");
                assertThat(String.valueOf(producer.get(ProducerConfig.ACKS_CONFIG))).isIn("all", "-1");
                assertThat(String.valueOf(producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))).isEqualTo("true");
                assertThat(producer.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).isEqualTo(10_000);
                Map<String, Object> consumer = config.getMainConsumerConfigs("group", "check", 0);
                assertThat(consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
                assertThat(consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(6_000);
                assertThat(consumer.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo(1_500);
                assertThat(config.getRestoreConsumerConfigs("check").get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
                        .isEqualTo("read_committed");
                assertThat(config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
            });
            KafkaClients.built().forEach((id, config) -> {
                if (config.containsKey(ProducerConfig.ACKS_CONFIG)) {
                    KafkaClients.checkProducer(config);
                } else {
                    KafkaClients.checkConsumer(config);
                }
            });
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--processors.streams-config=processing.guarantee=at_least_once | PROCESSORS_STREAMS_CONFIG: "
                    + "Kafka setting processing.guarantee=at_least_once breaks",
            "--processors.streams-config=producer.acks=1 | PROCESSORS_STREAMS_CONFIG: Kafka setting "
                    + "producer.acks=1 breaks",
            "--processors.streams-config=producer.enable.idempotence=false | PROCESSORS_STREAMS_CONFIG: "
                    + "Kafka setting producer.enable.idempotence=false breaks",
            "--processors.streams-config=main.consumer.isolation.level=read_uncommitted | "
                    + "PROCESSORS_STREAMS_CONFIG: Kafka setting main.consumer.isolation.level=read_uncommitted",
            "--processors.streams-config=consumer.max.pol.records=5 | PROCESSORS_STREAMS_CONFIG: "
                    + "consumer.max.pol.records is not a Kafka Streams",
            "--processors.session-timeout-ms=500 | PROCESSORS_SESSION_TIMEOUT_MS: must be between 1000"})
    void aBadOverrideStopsStartupWithOneLineNamingTheVariable(String argument, String expected) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int status;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = ServiceMain.run("stream-processors", ProcessorsApplication.class, "--server.port=0",
                    "--kafka.bootstrap-servers=" + TestKafka.brokers(),
                    "--processors.application-id-prefix=" + prefix(), argument);
        } finally {
            System.setErr(original);
        }

        assertThat(status).isEqualTo(ServiceMain.EXIT_REPORTED_FAILURE);
        // The test broker runs in this JVM: while the service resets logging, logback may print its own status
        // lines (e.g. "No appenders present ... for logger [kafka.server...]") for the broker's threads.
        assertThat(captured.toString(StandardCharsets.UTF_8).strip().lines()
                .filter(line -> !LOGBACK_STATUS.matcher(line).lookingAt())).singleElement().asString()
                .startsWith("stream-processors: cannot start: invalid setting " + expected);
    }
}
