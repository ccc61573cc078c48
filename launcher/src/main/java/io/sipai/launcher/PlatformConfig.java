package io.sipai.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the one-machine platform keeps its data and which ports it uses.
 *
 * @param home           repository root, where each service's {@code target/<module>.jar} is found
 * @param dataDir        Kafka log, PostgreSQL data and service logs ({@code SIPAI_DATA_DIR}, default {@code data/})
 * @param kafkaPort      embedded broker port ({@code SIPAI_KAFKA_PORT}, default 9092)
 * @param controllerPort embedded KRaft controller port ({@code SIPAI_KAFKA_CONTROLLER_PORT}, default 9093)
 * @param postgresPort   embedded PostgreSQL port ({@code SIPAI_POSTGRES_PORT}, default 5433)
 * @param servicePorts   HTTP port per service name
 * @param environment    the environment passed on to the services; {@code KAFKA_BOOTSTRAP_SERVERS} or
 *                       {@code DB_URL} set there mean "use that instead of the embedded one", and
 *                       {@code SIPAI_KAFKA_SECURITY=sasl_ssl} makes the embedded broker require SASL over TLS as
 *                       production brokers do
 */
record PlatformConfig(Path home, Path dataDir, int kafkaPort, int controllerPort, int postgresPort,
                      Map<String, Integer> servicePorts, Map<String, String> environment) {

    static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "api-gateway", 8080, "realtime-edge", 8081, "webhook-dispatcher", 8082, "stream-processors", 8083);

    PlatformConfig {
        servicePorts = Map.copyOf(servicePorts);
        environment = Map.copyOf(environment);
    }

    static PlatformConfig fromEnvironment(Path home, Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("SIPAI_DATA_DIR", home.resolve("data").toString()));
        return new PlatformConfig(home, dataDir.toAbsolutePath(),
                port(env, "SIPAI_KAFKA_PORT", 9092), port(env, "SIPAI_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "SIPAI_POSTGRES_PORT", 5433), DEFAULT_PORTS, env);
    }

    private static int port(Map<String, String> env, String variable, int fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65_535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + ": '" + value + "' is not a TCP port");
        }
    }

    /** Whether an external Kafka was given. */
    boolean externalKafka() {
        return environment.containsKey("KAFKA_BOOTSTRAP_SERVERS");
    }

    /** Whether the embedded broker requires SASL over TLS ({@code SIPAI_KAFKA_SECURITY=sasl_ssl}). */
    boolean securedKafka() {
        String security = environment.getOrDefault("SIPAI_KAFKA_SECURITY", "plaintext").strip();
        if (!security.equalsIgnoreCase("plaintext") && !security.equalsIgnoreCase("sasl_ssl")) {
            throw new IllegalArgumentException("SIPAI_KAFKA_SECURITY: '" + security
                    + "' is neither plaintext nor sasl_ssl");
        }
        return security.equalsIgnoreCase("sasl_ssl");
    }

    /** Whether an external PostgreSQL was given. */
    boolean externalPostgres() {
        return environment.containsKey("DB_URL");
    }
}
