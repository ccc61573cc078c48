package io.sipai.testing.cluster;

import java.nio.file.Path;

/**
 * A PostgreSQL server a test can stop and start again under traffic; the services reconnect to the same address
 * and find their data. {@link #start} gives an embedded server on this machine ({@link EmbeddedDatabase}); with the
 * system property {@code sipai.cluster=containers} a Testcontainers one.
 */
public interface Database extends AutoCloseable {

    /** Starts a server of the kind the system property {@code sipai.cluster} names (default: embedded). */
    static Database start(Path dataDir) {
        return "containers".equals(System.getProperty("sipai.cluster")) ? ContainerDatabase.start()
                : EmbeddedDatabase.start(dataDir);
    }

    /** JDBC URL of the {@code postgres} database. */
    String jdbcUrl();

    String user();

    String password();

    /** Stops the server (connections are cut) and starts it again on the same address and data. */
    void restart();

    /** Stops the server; {@link #startServer} brings it back. */
    void stopServer();

    /** Starts a stopped server on its address and data. */
    void startServer();

    @Override
    void close();
}
