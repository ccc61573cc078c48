package io.sipai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import io.sipai.gateway.projection.Projection;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.TestPostgres;
import io.sipai.runtime.ServiceMain;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The startup guard: every Kafka client configuration the running gateway built (through
 * {@link KafkaClients}) keeps sipai's guarantees, producers {@code acks=all} with idempotence and consumers
 * {@code read_committed} without auto-commit; and the gateway's one Kafka setting of its own,
 * {@code API_PROJECTION_SESSION_TIMEOUT_MS}, stops startup with one line naming it when it is out of range.
 */
class KafkaGuaranteesTest extends GatewayTest {

    /** A status line logback prints on System.err about itself, e.g. {@code 20:43:03,830 |-WARN in ...}. */
    private static final Pattern LOGBACK_STATUS = Pattern.compile("\\d{2}:\\d{2}:\\d{2},\\d{3} \\|-");

    @Test
    void givenTheRunningGateway_whenItsKafkaClientConfigsAreRead_thenEachKeepsTheGuarantees() {
        // when
        Map<String, Map<String, Object>> built = KafkaClients.built();
        // then: the gateway's clients are there (its publisher, admission, projection and quarantine clients)
        assertThat(built).containsKeys("api-gateway", "api-gateway-admission", Projection.LOOP,
                Projection.LOOP + "-quarantine");
        assertThat(built.keySet()).anyMatch(id -> id.startsWith("api-gateway-admission-decisions-"));
        // and every configuration built in this JVM keeps the guarantees
        built.forEach((clientId, config) -> {
            if (config.containsKey(ProducerConfig.ACKS_CONFIG)) {
                assertThat(String.valueOf(config.get(ProducerConfig.ACKS_CONFIG))).as(clientId).isIn("all", "-1");
                assertThat(String.valueOf(config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))).as(clientId)
                        .isEqualTo("true");
            } else {
                assertThat(config.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).as(clientId)
                        .isEqualTo("read_committed");
                assertThat(String.valueOf(config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG))).as(clientId)
                        .isEqualTo("false");
            }
        });
        // and the projection takes its group session from the setting (default 10 s), three heartbeats each
        assertThat(built.get(Projection.LOOP)).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, Projection.GROUP_ID)
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_333);
    }

    @Test
    void givenASessionTimeoutOutOfRange_whenTheGatewayStarts_thenItStopsWithOneLineNamingTheVariable() {
        // given
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int status;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // when
            status = ServiceMain.run("api-gateway", GatewayApplication.class,
                    "--api.projection.session-timeout-ms=500", "--server.port=0",
                    "--kafka.bootstrap-servers=" + TestKafka.brokers(),
                    "--db.url=" + TestPostgres.server().getJdbcUrl("postgres", "postgres"), "--db.user=postgres",
                    "--db.password=", "--sipai.secrets.keys=" + GatewayTest.SECRETS_KEYS);
        } finally {
            System.setErr(original);
        }
        // then
        String err = captured.toString(StandardCharsets.UTF_8).strip();
        assertThat(status).isEqualTo(ServiceMain.EXIT_REPORTED_FAILURE);
        // Logback's status lines about loggers of the in-JVM broker's threads may land in the capture too.
        assertThat(err.lines().filter(line -> !LOGBACK_STATUS.matcher(line).lookingAt())).singleElement().asString()
                .startsWith(
                "api-gateway: cannot start: invalid setting API_PROJECTION_SESSION_TIMEOUT_MS: must be between 1000 "
                        + "and 1800000, was 500");
    }
}
