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
        KafkaSettings settings = KafkaSettings.plaintext("127.0.0.1:9092, kafka-2.internal:19092");

        assertThat(settings.servers()).containsExactly("127.0.0.1:9092", "kafka-2.internal:19092");
        assertThat(settings.replicationFactor()).isEqualTo(1);
    }

    @Test
    void mskIamAuthenticationConfiguresEveryClientForIam() {
        KafkaSettings settings = new KafkaSettings("b-1.msk.internal:9098", 3, "sasl_ssl", "aws_msk_iam", null, null,
                null, null);

        assertThat(settings.clientConfig())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("sasl.client.callback.handler.class",
                        "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    }

    @Test
    void aSaslProtocolWithoutMechanismNamesTheMissingVariable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new KafkaSettings("b-1:9096", null, "SASL_SSL", null, null, null, null, null))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("KAFKA_SASL_MECHANISM");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new KafkaSettings("b-1:9096", null, "SASL_SSL", "SCRAM-SHA-512", "svc", null, null, null))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("KAFKA_SASL_USERNAME");
    }

    @Test
    void aTruststoreIsUsedOnlyWithTlsAndMustBeReadable() throws java.io.IOException {
        java.nio.file.Path pem = java.nio.file.Files.createTempFile("brokers", ".pem");
        try {
            // given a PEM truststore with SASL_SSL, then every client trusts it
            KafkaSettings settings = new KafkaSettings("b-1:9096", null, "SASL_SSL", "PLAIN", "svc", "pw",
                    pem.toString(), null);
            assertThat(settings.clientConfig()).containsEntry("ssl.truststore.location", pem.toString())
                    .containsEntry("ssl.truststore.type", "PEM");

            // and a truststore without TLS, or one that cannot be read, names the variable
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KafkaSettings("b-1:9092", null, null, null,
                            null, null, pem.toString(), null))
                    .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("KAFKA_SSL_TRUSTSTORE");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KafkaSettings("b-1:9096", null, "SSL", null,
                            null, null, pem + ".missing", null))
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining("not a readable file");
        } finally {
            java.nio.file.Files.delete(pem);
        }
    }
}
