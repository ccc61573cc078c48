package io.sipai.system.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sipai.testing.cluster.ChildProcess;
import io.sipai.testing.cluster.Database;
import io.sipai.testing.cluster.KafkaCluster;
import io.sipai.testing.cluster.ServiceNode;

/**
 * A production-shaped deployment for one failure scenario: a three-broker Kafka cluster, a PostgreSQL server, and
 * as many instances of each service as the scenario asks for, all real processes sharing one set of settings
 * (replication 3, known keys and secrets). Everything is stopped by {@link #close()}.
 */
public final class Deployment implements AutoCloseable {

    public static final String ADMIN_KEY = "system-admin-key-0123456789";
    public static final String TOKEN_SECRET = "system-telephony-secret-0123456789abcdef";
    /** SIPAI_SECRETS_KEYS: the master key of webhook secrets, given only to api-gateway and webhook-dispatcher. */
    public static final String SECRETS_KEYS = "system1:c3lzdGVtLXRlc3QtbWFzdGVyLWtleS0wMTIzNDU2Nzg=";
    public static final Duration READY = Duration.ofSeconds(120);

    private final Path dir;
    private final KafkaCluster kafka;
    private final List<ServiceNode> services = new ArrayList<>();
    private Database database;
    private boolean closed;

    private Deployment(Path dir, KafkaCluster kafka) {
        this.dir = dir;
        this.kafka = kafka;
    }

    /** Starts the Kafka cluster under {@code dir}. */
    public static Deployment start(Path dir) {
        return new Deployment(dir, KafkaCluster.start(dir.resolve("kafka")));
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    /** The PostgreSQL server, started on first use. */
    public synchronized Database database() {
        if (database == null) {
            database = Database.start(dir.resolve("postgres"));
        }
        return database;
    }

    /** Settings every service instance gets. */
    public Map<String, String> baseEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("KAFKA_REPLICATION_FACTOR", "3");
        env.put("SIPAI_ADMIN_API_KEY", ADMIN_KEY);
        env.put("REALTIME_API_KEY", ADMIN_KEY);
        env.put("TELEPHONY_TOKEN_SECRET", TOKEN_SECRET);
        env.put("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1");
        env.put("DRAIN_TIMEOUT_SEC", "2");
        env.put("LOG_FORMAT", "ecs");
        // The edge's startup warm-up (6 s of synthetic calls) buys nothing the tests measure.
        env.put("VOICE_WARM_UP_CALLS", "0");
        return env;
    }

    /**
     * A new, not yet started instance of {@code module} named {@code name} with the base settings, its own data
     * directory, and {@code extra} settings on top.
     */
    public ServiceNode service(String module, String name, Map<String, String> extra) {
        Map<String, String> env = baseEnvironment();
        env.put("SIPAI_DATA_DIR", dir.resolve("data").resolve(name).toString());
        env.put("WEBHOOK_STATE_DIR", dir.resolve("data").resolve(name).resolve("streams").toString());
        if (module.equals("api-gateway")) {
            Database db = database();
            env.put("DB_URL", db.jdbcUrl());
            env.put("DB_USER", db.user());
            env.put("DB_PASSWORD", db.password());
        }
        if (module.equals("api-gateway") || module.equals("webhook-dispatcher")) {
            env.put("SIPAI_SECRETS_KEYS", SECRETS_KEYS);
        }
        if (module.equals("realtime-edge")) {
            // The edge refuses to start without a Twilio token unless told otherwise (issue 16 item 3).
            env.put("TWILIO_AUTH_TOKEN", "system-twilio-auth-token");
        }
        env.putAll(extra);
        ServiceNode node = ServiceNode.of(module, name, dir.resolve("logs"), env);
        services.add(node);
        return node;
    }

    /** Stops everything; once (a scenario may stop its deployment early to look at what it left on disk). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Killed, all at once: the scenario is over, and graceful stops cost seconds each.
            ChildProcess.killAll(services.stream().map(ServiceNode::process).toList());
        } finally {
            try {
                if (database != null) {
                    database.close();
                }
            } finally {
                kafka.close();
            }
        }
    }
}
