package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sipai.testing.cluster.FreePorts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A service started from its jar with a bad KAFKA_BOOTSTRAP_SERVERS exits non-zero with one line naming it. */
class BadSettingProcessTest {

    @ParameterizedTest
    @ValueSource(strings = {"stream-processors", "realtime-edge"})
    void anEmptyKafkaBootstrapSettingStopsTheServiceWithOneLine(String service) throws Exception {
        Path jar = Path.of("..", service, "target", service + "-exec.jar").toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-jar", jar.toString()).redirectErrorStream(false);
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", "");
        builder.environment().put("SERVER_PORT", String.valueOf(FreePorts.next()));

        Process process = builder.start();
        process.getOutputStream().close();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isNotZero();
        List<String> lines = stderr.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).singleElement().asString()
                .startsWith(service + ": cannot start: invalid setting KAFKA_BOOTSTRAP_SERVERS: is empty");
    }
}
