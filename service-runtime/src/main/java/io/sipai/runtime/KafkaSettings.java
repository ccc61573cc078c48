package io.sipai.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a service reaches Kafka. Every Kafka client a service builds starts from {@link #clientConfig()}, so the
 * security settings apply to all of them.
 *
 * @param bootstrapServers  {@code KAFKA_BOOTSTRAP_SERVERS}: comma-separated {@code host:port} list (required)
 * @param replicationFactor {@code KAFKA_REPLICATION_FACTOR}: replication of topics a service creates; 1 on a
 *                          single local broker, 3 in production (default 1)
 * @param securityProtocol  {@code KAFKA_SECURITY_PROTOCOL}: PLAINTEXT (default), SSL, SASL_SSL or SASL_PLAINTEXT
 * @param saslMechanism     {@code KAFKA_SASL_MECHANISM}: AWS_MSK_IAM (Amazon MSK with IAM auth; credentials from
 *                          the task role), SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN
 * @param saslUsername      {@code KAFKA_SASL_USERNAME} for SCRAM and PLAIN
 * @param saslPassword      {@code KAFKA_SASL_PASSWORD} for SCRAM and PLAIN
 * @param sslTruststore     {@code KAFKA_SSL_TRUSTSTORE}: file of the certificates that sign the brokers' (SSL and
 *                          SASL_SSL), PEM ({@code .pem}/{@code .crt}) or PKCS12; unset trusts the JVM's CAs (as
 *                          Amazon MSK needs)
 * @param sslTruststorePassword {@code KAFKA_SSL_TRUSTSTORE_PASSWORD}: password of a PKCS12 truststore
 */
@ConfigurationProperties("kafka")
public record KafkaSettings(String bootstrapServers, Integer replicationFactor, String securityProtocol,
                            String saslMechanism, String saslUsername, String saslPassword, String sslTruststore,
                            String sslTruststorePassword) {

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT");
    private static final Set<String> MECHANISMS = Set.of("AWS_MSK_IAM", "SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

    public KafkaSettings {
        validateServers(bootstrapServers);
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        if (replicationFactor < 1 || replicationFactor > 7) {
            throw new InvalidSettingException("KAFKA_REPLICATION_FACTOR", "must be between 1 and 7, was "
                    + replicationFactor);
        }
        securityProtocol = blankToNull(securityProtocol) == null ? "PLAINTEXT"
                : securityProtocol.strip().toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(securityProtocol)) {
            throw new InvalidSettingException("KAFKA_SECURITY_PROTOCOL", "must be one of " + PROTOCOLS);
        }
        saslMechanism = blankToNull(saslMechanism) == null ? null : saslMechanism.strip().toUpperCase(Locale.ROOT);
        validateSasl(securityProtocol, saslMechanism, saslUsername, saslPassword);
        sslTruststore = blankToNull(sslTruststore);
        validateTruststore(securityProtocol, sslTruststore);
    }

    /** Plaintext settings with replication 1, for tests and tools. */
    public static KafkaSettings plaintext(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, null, null, null, null, null, null, null);
    }

    /**
     * The settings from environment variables of the same names, for tools that run without Spring (the launcher's
     * {@code create-topics}): the same checks, the same clients.
     */
    public static KafkaSettings fromEnvironment(Map<String, String> env) {
        String replication = blankToNull(env.get("KAFKA_REPLICATION_FACTOR"));
        Integer factor;
        try {
            factor = replication == null ? null : Integer.valueOf(replication.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("KAFKA_REPLICATION_FACTOR", "must be a number, was '" + replication
                    + "'");
        }
        return new KafkaSettings(env.get("KAFKA_BOOTSTRAP_SERVERS"), factor, env.get("KAFKA_SECURITY_PROTOCOL"),
                env.get("KAFKA_SASL_MECHANISM"), env.get("KAFKA_SASL_USERNAME"), env.get("KAFKA_SASL_PASSWORD"),
                env.get("KAFKA_SSL_TRUSTSTORE"), env.get("KAFKA_SSL_TRUSTSTORE_PASSWORD"));
    }

    /** The servers as a list, trimmed. */
    public List<String> servers() {
        return Arrays.stream(bootstrapServers.split(",")).map(String::strip).toList();
    }

    /** Connection and security configs common to producers, consumers, admin clients and Streams. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("security.protocol", securityProtocol);
        if (sslTruststore != null) {
            boolean pem = sslTruststore.endsWith(".pem") || sslTruststore.endsWith(".crt");
            config.put("ssl.truststore.location", sslTruststore);
            config.put("ssl.truststore.type", pem ? "PEM" : "PKCS12");
            if (!pem && sslTruststorePassword != null) {
                config.put("ssl.truststore.password", sslTruststorePassword);
            }
        }
        if ("AWS_MSK_IAM".equals(saslMechanism)) {
            config.put("sasl.mechanism", "AWS_MSK_IAM");
            config.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
            config.put("sasl.client.callback.handler.class",
                    "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
        } else if (saslMechanism != null) {
            String module = "PLAIN".equals(saslMechanism)
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            config.put("sasl.mechanism", saslMechanism);
            config.put("sasl.jaas.config", module + " required username=\"" + saslUsername + "\" password=\""
                    + saslPassword + "\";");
        }
        return config;
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", securityProtocol=" + securityProtocol
                + ", saslMechanism=" + saslMechanism + ", replicationFactor=" + replicationFactor + "]";
    }

    private static void validateServers(String bootstrapServers) {
        if (bootstrapServers == null) {
            throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS", "is not set; expected host:port[,host:port]");
        }
        if (bootstrapServers.isBlank()) {
            throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS", "is empty; expected host:port[,host:port]");
        }
        for (String server : bootstrapServers.split(",")) {
            if (!server.strip().matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
                throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS",
                        "'" + server.strip() + "' is not host:port");
            }
        }
    }

    private static void validateSasl(String protocol, String mechanism, String username, String password) {
        boolean sasl = protocol.startsWith("SASL_");
        if (sasl && mechanism == null) {
            throw new InvalidSettingException("KAFKA_SASL_MECHANISM", "is required with " + protocol);
        }
        if (mechanism == null) {
            return;
        }
        if (!sasl) {
            throw new InvalidSettingException("KAFKA_SASL_MECHANISM", "needs KAFKA_SECURITY_PROTOCOL SASL_SSL or "
                    + "SASL_PLAINTEXT, not " + protocol);
        }
        if (!MECHANISMS.contains(mechanism)) {
            throw new InvalidSettingException("KAFKA_SASL_MECHANISM", "must be one of " + MECHANISMS);
        }
        if (!"AWS_MSK_IAM".equals(mechanism) && (blankToNull(username) == null || blankToNull(password) == null)) {
            throw new InvalidSettingException("KAFKA_SASL_USERNAME", "and KAFKA_SASL_PASSWORD are required with "
                    + mechanism);
        }
    }

    private static void validateTruststore(String protocol, String truststore) {
        if (truststore == null) {
            return;
        }
        if (!protocol.endsWith("SSL")) {
            throw new InvalidSettingException("KAFKA_SSL_TRUSTSTORE", "needs KAFKA_SECURITY_PROTOCOL SSL or "
                    + "SASL_SSL, not " + protocol);
        }
        if (!Files.isReadable(Path.of(truststore))) {
            throw new InvalidSettingException("KAFKA_SSL_TRUSTSTORE", "'" + truststore + "' is not a readable file");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
