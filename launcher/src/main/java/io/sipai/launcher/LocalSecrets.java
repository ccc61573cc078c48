package io.sipai.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The secrets of the one-machine run, made on first start and kept in the data directory (owner-only) so a restart
 * reuses them: the bootstrap admin API key (also accepted by realtime-edge for {@code /realtime/voice}), the
 * per-call token secret api-gateway and realtime-edge share, and the master key that seals webhook secrets at rest
 * ({@code SIPAI_SECRETS_KEYS}, given only to the services that seal or open them). This file is the one place of
 * the data directory that holds them in clear, as a KMS would in production. Values given in the environment win.
 */
final class LocalSecrets {

    static final String ADMIN_KEY = "SIPAI_ADMIN_API_KEY";
    static final String REALTIME_KEY = "REALTIME_API_KEY";
    static final String TOKEN_SECRET = "TELEPHONY_TOKEN_SECRET";
    static final String SECRETS_KEYS = "SIPAI_SECRETS_KEYS";
    static final String SECRETS_ACTIVE_KEY = "SIPAI_SECRETS_ACTIVE_KEY";
    /** The SASL password of the embedded broker when it requires SASL over TLS ({@code SIPAI_KAFKA_SECURITY}). */
    static final String KAFKA_PASSWORD = "SIPAI_KAFKA_PASSWORD";
    /** The services that seal (api-gateway) or open (webhook-dispatcher) webhook secrets: the only ones with the key. */
    static final Set<String> SECRETS_KEY_HOLDERS = Set.of("api-gateway", "webhook-dispatcher");
    private static final String FILE = "local-secrets.properties";

    private final Properties values;

    private LocalSecrets(Properties values) {
        this.values = values;
    }

    static LocalSecrets loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        Properties values = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(reader);
            }
        }
        boolean changed = putIfMissing(values, ADMIN_KEY, "sk_local_" + random(24));
        changed |= putIfMissing(values, TOKEN_SECRET, random(36));
        changed |= putIfMissing(values, SECRETS_KEYS, "local1:" + Base64.getEncoder().encodeToString(bytes(32)));
        changed |= putIfMissing(values, KAFKA_PASSWORD, random(24));
        if (changed) {
            Files.createDirectories(dataDir);
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                values.store(writer, "secrets of the one-machine run; delete with bin/sipai up --wipe");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return new LocalSecrets(values);
    }

    /** The embedded broker's SASL password (also its keystore's). */
    String kafkaPassword() {
        return values.getProperty(KAFKA_PASSWORD);
    }

    /** Adds the secrets to a service environment, keeping what the operator set. */
    void addTo(Map<String, String> environment) {
        environment.putIfAbsent(ADMIN_KEY, values.getProperty(ADMIN_KEY));
        environment.putIfAbsent(REALTIME_KEY, environment.get(ADMIN_KEY));
        environment.putIfAbsent(TOKEN_SECRET, values.getProperty(TOKEN_SECRET));
        environment.putIfAbsent(SECRETS_KEYS, values.getProperty(SECRETS_KEYS));
    }

    /** The environment of one service: the master keys removed unless it seals or opens webhook secrets. */
    static Map<String, String> forService(String service, Map<String, String> environment) {
        Map<String, String> own = new HashMap<>(environment);
        if (!SECRETS_KEY_HOLDERS.contains(service)) {
            own.remove(SECRETS_KEYS);
            own.remove(SECRETS_ACTIVE_KEY);
        }
        return own;
    }

    private static boolean putIfMissing(Properties values, String key, String value) {
        if (values.getProperty(key) != null) {
            return false;
        }
        values.setProperty(key, value);
        return true;
    }

    private static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(bytes));
    }

    private static byte[] bytes(int count) {
        byte[] buffer = new byte[count];
        new SecureRandom().nextBytes(buffer);
        return buffer;
    }
}
