package io.sipai.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A SASL_SSL listener for the local broker, as production brokers require one: TLS with a self-signed certificate
 * for {@code 127.0.0.1}/{@code localhost} (made with the JDK's {@code keytool}, kept in {@code dir}) and SASL/PLAIN
 * with one user. {@link #clientEnvironment} is what a service, or {@code launcher.jar create-topics}, needs to reach
 * it: the same {@code KAFKA_*} settings a deploy gives them for Amazon MSK or any secured cluster.
 *
 * @param dir      where the keystore and the clients' PEM truststore live
 * @param username the SASL/PLAIN user
 * @param password its password, also the keystore's
 */
record BrokerSecurity(Path dir, String username, String password) {

    static final String LISTENER = "SASL_SSL";

    /** Creates (or reuses) the broker's key pair and the clients' truststore under {@code dir}. */
    static BrokerSecurity create(Path dir, String username, String password) throws IOException,
            InterruptedException {
        BrokerSecurity security = new BrokerSecurity(dir, username, password);
        if (!Files.exists(security.keystore())) {
            Files.createDirectories(dir);
            security.keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "3650", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-keystore", security.keystore().toString(), "-storetype", "PKCS12",
                    "-storepass", password, "-keypass", password);
            security.keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", security.keystore().toString(),
                    "-storepass", password, "-file", security.truststore().toString());
        }
        return security;
    }

    Path keystore() {
        return dir.resolve("broker.p12");
    }

    /** PEM of the broker's certificate: the clients' {@code KAFKA_SSL_TRUSTSTORE}. */
    Path truststore() {
        return dir.resolve("broker-ca.pem");
    }

    /** Broker settings of the SASL_SSL listener on {@code port}; the controller listener stays internal. */
    void apply(Properties props, int port, int controllerPort) {
        props.put("listeners", LISTENER + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", LISTENER + "://127.0.0.1:" + port);
        props.put("inter.broker.listener.name", LISTENER);
        props.put("listener.security.protocol.map", LISTENER + ":" + LISTENER + ",CONTROLLER:PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + username
                        + "\" password=\"" + password + "\" user_" + username + "=\"" + password + "\";");
        props.put("ssl.keystore.location", keystore().toString());
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.password", password);
        props.put("ssl.key.password", password);
        // The broker talks TLS to itself (inter-broker listener), so it trusts its own certificate.
        props.put("ssl.truststore.location", truststore().toString());
        props.put("ssl.truststore.type", "PEM");
    }

    /** The settings a client needs, as environment variables. */
    Map<String, String> clientEnvironment(String bootstrapServers) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers, "KAFKA_SECURITY_PROTOCOL", LISTENER,
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_SASL_USERNAME", username, "KAFKA_SASL_PASSWORD", password,
                "KAFKA_SSL_TRUSTSTORE", truststore().toString());
    }

    @Override
    public String toString() {
        return "BrokerSecurity[dir=" + dir + ", username=" + username + "]";
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
        }
    }
}
