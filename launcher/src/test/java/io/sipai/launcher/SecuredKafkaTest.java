package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster the way production runs it, requiring TLS and SASL: {@code create-topics} and a service jar reach it
 * with the same {@code KAFKA_*} settings a deploy gives them, and a client with a wrong password is refused.
 */
class SecuredKafkaTest {

    @TempDir
    Path dir;

    @Test
    void createTopicsAndAServiceReachABrokerThatRequiresSaslOverTls() throws Exception {
        // given a broker whose only client listener is SASL_SSL
        BrokerSecurity security = BrokerSecurity.create(dir.resolve("tls"), "sipai", "pw-" + UUID.randomUUID());
        try (LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), FreePorts.next(), FreePorts.next(), security)) {
            kafka.start();
            Map<String, String> env = security.clientEnvironment(kafka.bootstrapServers());

            // when create-topics runs with those settings
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = Launcher.createTopics(env, new PrintStream(out, true, StandardCharsets.UTF_8));

            // then every topic of the registry exists
            assertThat(status).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("created [").contains("already present 0");
            try (Admin admin = Admin.create(KafkaSettings.fromEnvironment(env).clientConfig())) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .containsAll(Topics.ALL.stream().map(Topic::name).collect(Collectors.toSet()));
            }

            // and a client with a wrong password is refused
            Map<String, String> wrong = new HashMap<>(env);
            wrong.put("KAFKA_SASL_PASSWORD", "wrong");
            try (Admin admin = Admin.create(KafkaSettings.fromEnvironment(wrong).clientConfig())) {
                assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }

            // and stream-processors, started from its jar with the same settings, turns ready
            Path log = dir.resolve("stream-processors.log");
            assertThat(serviceTurnsReady("stream-processors", env, log)).as("ready; its log: " + log).isTrue();
        }
    }

    private static boolean serviceTurnsReady(String service, Map<String, String> kafka, Path log)
            throws Exception {
        Path jar = Path.of("..", service, "target", service + "-exec.jar").toAbsolutePath().normalize();
        int port = FreePorts.next();
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(kafka);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return true;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            return false;
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
