package io.sipai.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The default {@link Database}: a real PostgreSQL server (zonky's embedded binaries) on a fixed port and data
 * directory, so a restart keeps the address and the data.
 */
final class EmbeddedDatabase implements Database {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private EmbeddedDatabase(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a new server with its data under {@code dataDir}. */
    static EmbeddedDatabase start(Path dataDir) {
        EmbeddedDatabase database = new EmbeddedDatabase(dataDir, FreePorts.next());
        database.startServer();
        return database;
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public synchronized void restart() {
        stopServer();
        startServer();
    }

    @Override
    public synchronized void stopServer() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    @Override
    public synchronized void startServer() {
        try {
            server = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port, e);
        }
    }

    @Override
    public void close() {
        stopServer();
    }
}
