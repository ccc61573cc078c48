package io.sipai.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real PostgreSQL server (zonky embedded binaries) for the whole test JVM, started on first use and stopped
 * when the JVM exits. Test classes register its URL with {@link #register}.
 */
public final class TestPostgres {

    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /** The server, started on first call. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the temporary data directory goes with it.
                }
            }));
        }
        return server;
    }

    /** Points {@code db.*} at the shared server. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("db.url", () -> server().getJdbcUrl("postgres", "postgres"));
        registry.add("db.user", () -> "postgres");
        registry.add("db.password", () -> "");
    }
}
