package io.sipai.testing.cluster;

import java.time.Duration;
import java.util.List;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link Database} on Testcontainers (the {@code containers} profile): a {@code postgres} container published on a
 * fixed host port, so a restart (stop and start of the same container, data kept) keeps its address.
 */
final class ContainerDatabase implements Database {

    private static final DockerImageName IMAGE = DockerImageName.parse("postgres:18");

    private final GenericContainer<?> container;
    private final int port;

    private ContainerDatabase(int port) {
        this.port = port;
        this.container = new GenericContainer<>(IMAGE).withEnv("POSTGRES_PASSWORD", "postgres")
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        container.setPortBindings(List.of(port + ":5432"));
    }

    static ContainerDatabase start() {
        ContainerDatabase database = new ContainerDatabase(FreePorts.next());
        database.container.start();
        return database;
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public void restart() {
        stopServer();
        startServer();
    }

    @Override
    public void stopServer() {
        DockerClientFactory.instance().client().stopContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void startServer() {
        DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
        awaitAccepting();
    }

    private void awaitAccepting() {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl(), user(),
                    password())) {
                return;
            } catch (java.sql.SQLException e) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
        throw new IllegalStateException("PostgreSQL container did not accept connections after a restart");
    }

    @Override
    public void close() {
        container.stop();
    }
}
