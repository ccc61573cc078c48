package io.sipai.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.sipai.runtime.probe.ProbeApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bad setting stops the service with exit status 2 and one line on stderr that names the variable. */
class BadSettingTest {

    @ParameterizedTest
    @ValueSource(strings = {"--kafka.bootstrap-servers=", "--kafka.bootstrap-servers=no-port-here"})
    void aBadKafkaBootstrapSettingStopsStartupWithOneLineNamingTheVariable(String argument) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int status;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = ServiceMain.run("probe", ProbeApplication.class, argument, "--server.port=0");
        } finally {
            System.setErr(original);
        }

        String err = captured.toString(StandardCharsets.UTF_8).strip();
        assertThat(status).isEqualTo(ServiceMain.EXIT_REPORTED_FAILURE);
        assertThat(err.lines()).singleElement().asString()
                .startsWith("probe: cannot start: invalid setting KAFKA_BOOTSTRAP_SERVERS: ");
    }

    @Test
    void aValidSettingIsAccepted() {
        KafkaSettings settings = new KafkaSettings("127.0.0.1:9092, kafka-2.internal:19092", null);

        assertThat(settings.servers()).containsExactly("127.0.0.1:9092", "kafka-2.internal:19092");
        assertThat(settings.replicationFactor()).isEqualTo(1);
    }
}
