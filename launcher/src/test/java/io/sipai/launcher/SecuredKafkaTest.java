package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import io.sipai.testing.cluster.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster the way production runs it, requiring TLS and SASL: {@code create-topics} reaches it with the
 * {@code KAFKA_*} settings a deploy gives, and a client with a wrong password is refused. (The four services on such
 * a broker, with the prod overlay's settings: {@link RenderedConfigurationTest}.)
 */
class SecuredKafkaTest {

    @TempDir
    Path dir;

    @Test
    void createTopicsReachesABrokerThatRequiresSaslOverTlsAndAWrongPasswordIsRefused() throws Exception {
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
        }
    }
}
