package io.sipai.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.sipai.runtime.KafkaSettings;
import io.sipai.startup.ExtractedJar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine: the embedded broker and PostgreSQL (unless external ones are configured),
 * every topic, then the four services. {@link #close()} stops them in the reverse order: realtime-edge first so
 * live calls drain and their CallEnded events reach Kafka, Kafka last.
 */
final class Platform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    /** Start order; stop order is the reverse. */
    static final List<String> SERVICES = List.of("stream-processors", "webhook-dispatcher", "api-gateway",
            "realtime-edge");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final PlatformConfig config;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, CompletableFuture<Path>> runnableJars = new HashMap<>();
    private volatile LocalKafka kafka;
    private volatile LocalPostgres postgres;
    private volatile String bootstrapServers;
    /** The {@code KAFKA_*} settings every client of the platform uses (the services, the topic setup). */
    private volatile Map<String, String> kafkaEnvironment;
    private volatile String dbUrl;
    private String apiKey;

    Platform(PlatformConfig config) {
        this.config = config;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** The admin API key the services were started with. */
    String apiKey() {
        return apiKey;
    }

    List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** Starts the broker and PostgreSQL side by side (each takes about a second), then creates the topics. */
    void startInfrastructure() throws Exception {
        CompletableFuture<Void> database = CompletableFuture.runAsync(this::startPostgres);
        if (config.externalKafka()) {
            bootstrapServers = config.environment().get("KAFKA_BOOTSTRAP_SERVERS");
            kafkaEnvironment = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        } else {
            BrokerSecurity security = config.securedKafka() ? BrokerSecurity.create(config.dataDir()
                    .resolve("kafka-tls"), "sipai", LocalSecrets.loadOrCreate(config.dataDir()).kafkaPassword())
                    : null;
            kafka = new LocalKafka(config.dataDir().resolve("kafka"), config.kafkaPort(), config.controllerPort(),
                    security);
            kafka.start();
            bootstrapServers = kafka.bootstrapServers();
            kafkaEnvironment = security == null ? Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers)
                    : security.clientEnvironment(bootstrapServers);
        }
        LOG.info("kafka      {}{}", bootstrapServers, config.securedKafka() ? " (SASL over TLS)" : "");
        try {
            database.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        // Without the query: a JDBC URL may carry the password.
        LOG.info("postgresql {}", dbUrl.replaceFirst("\\?.*$", ""));
        Map<String, String> topicSetup = new HashMap<>(config.environment());
        topicSetup.putAll(kafkaEnvironment);
        topicSetup.put("KAFKA_REPLICATION_FACTOR", "1");
        TopicSetup.createAll(KafkaSettings.fromEnvironment(topicSetup));
    }

    private void startPostgres() {
        if (config.externalPostgres()) {
            dbUrl = config.environment().get("DB_URL");
            return;
        }
        postgres = new LocalPostgres(config.dataDir().resolve("postgres"), config.postgresPort());
        try {
            postgres.start();
        } catch (IOException | java.sql.SQLException e) {
            throw new CompletionException(new IllegalStateException("PostgreSQL did not start: " + e, e));
        }
        dbUrl = postgres.jdbcUrl();
    }

    /**
     * Unpacks the services' jars where needed ({@link ExtractedJar}), side by side and while the infrastructure
     * starts; {@link #startServices} waits for it.
     */
    void prepareServices() {
        for (String name : SERVICES) {
            Path jar = config.home().resolve(name).resolve("target").resolve(name + "-exec.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests install)");
            }
            runnableJars.put(name, CompletableFuture.supplyAsync(() -> {
                try {
                    return ExtractedJar.of(jar, ServiceProcess.javaExecutable());
                } catch (IOException e) {
                    throw new CompletionException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            }));
        }
    }

    /** Starts every service and waits until each answers ready. */
    void startServices() throws Exception {
        if (runnableJars.isEmpty()) {
            prepareServices();
        }
        Map<String, String> environment = serviceEnvironment();
        for (String name : SERVICES) {
            Path jar = runnableJars.get(name).join();
            ServiceProcess service = new ServiceProcess(name, config.servicePorts().get(name), jar,
                    config.dataDir().resolve("logs").resolve(name + ".log"));
            service.start(LocalSecrets.forService(name, environment));
            services.add(service);
        }
        awaitReady();
    }

    private Map<String, String> serviceEnvironment() throws IOException {
        Map<String, String> environment = new HashMap<>(config.environment());
        LocalSecrets.loadOrCreate(config.dataDir()).addTo(environment);
        apiKey = environment.get(LocalSecrets.ADMIN_KEY);
        environment.putAll(kafkaEnvironment);
        environment.putIfAbsent("DB_URL", dbUrl);
        if (postgres != null) {
            environment.putIfAbsent("DB_USER", LocalPostgres.USER);
            environment.putIfAbsent("DB_PASSWORD", "");
        }
        environment.putIfAbsent("KAFKA_REPLICATION_FACTOR", "1");
        // The one-machine run speaks with the offline TTS: load it before the edge reports ready.
        environment.putIfAbsent("VOICE_WARM_UP", "true");
        // The edge journals its call events, so a killed edge re-sends what Kafka had not acknowledged.
        environment.putIfAbsent("EDGE_JOURNAL_DIR", config.dataDir().resolve("edge-journal").toString());
        environment.putIfAbsent("SIPAI_DATA_DIR", config.dataDir().toString());
        // realtime-edge writes call recordings here and api-gateway serves them.
        environment.putIfAbsent("RECORDINGS_STORE", config.dataDir().resolve("recordings").toUri().toString());
        // The edge fails closed in production; the one-machine run has no Twilio account unless one is given, and
        // browser pages of local development servers (any port) may open /realtime/voice.
        if (environment.getOrDefault("TWILIO_AUTH_TOKEN", "").isBlank()) {
            environment.putIfAbsent("EDGE_TWILIO_SIGNATURE", "off");
        }
        environment.putIfAbsent("REALTIME_ALLOWED_ORIGINS", "http://localhost:*,http://127.0.0.1:*");
        // Every service traces its calls into the gateway's own trace store, which the console's call page shows,
        // unless spans are to go to a tracing backend (OTEL_EXPORTER_OTLP_ENDPOINT given).
        if (!environment.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")) {
            environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" // dev-url-guard: allow
                    + config.servicePorts().get("api-gateway") + "/otlp");
            environment.putIfAbsent("API_TRACES_RECEIVER", "true");
        }
        // api-gateway sends phone media to this machine's edge, on whatever port it was given.
        environment.putIfAbsent("REALTIME_WS_URL", "ws://127.0.0.1:" // dev-url-guard: allow
                + config.servicePorts().get("realtime-edge"));
        return environment;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        List<ServiceProcess> pending = new ArrayList<>(services);
        while (!pending.isEmpty()) {
            for (ServiceProcess service : List.copyOf(pending)) {
                if (!service.alive()) {
                    throw new IllegalStateException(service.name() + " exited with status " + service.exitValue()
                            + "; see " + service.logFile());
                }
                if (service.ready()) {
                    LOG.info("ready      {} http://127.0.0.1:{}", service.name(), service.port());
                    pending.remove(service);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready after " + READY_TIMEOUT.toSeconds() + " s: "
                        + pending.stream().map(ServiceProcess::name).toList());
            }
            if (!pending.isEmpty()) {
                Thread.sleep(250);
            }
        }
    }

    @Override
    public void close() {
        // All at once: each drains on its own, and the broker and database they use stop only after all of them.
        services.forEach(ServiceProcess::signalStop);
        for (ServiceProcess service : services) {
            try {
                service.awaitStopped(Duration.ofSeconds(45));
                LOG.info("stopped    {}", service.name());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        services.clear();
        closeQuietly("postgresql", postgres);
        postgres = null;
        closeQuietly("kafka", kafka);
        kafka = null;
    }

    private static void closeQuietly(String name, AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
            LOG.info("stopped    {}", name);
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", name, e.toString());
        }
    }
}
