package io.sipai.gateway.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import io.sipai.runtime.ReadinessCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness of PostgreSQL: ready while a pooled connection passes a validity check. A probe may wait much longer
 * than a readiness answer may take (the pool waits {@code DB_CONNECT_TIMEOUT_SEC} for a connection, an unanswered
 * query {@code DB_SOCKET_TIMEOUT_SEC}), so it runs on its own thread: a check answers "not ready" once
 * {@code answerWithin} passed, and the next check waits on the same probe instead of starting another. Changes are
 * logged once each, so an outage and its end are visible in the log.
 */
public final class DatabaseReadiness implements ReadinessCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseReadiness.class);
    private static final int VALID_TIMEOUT_SEC = 2;

    private final DataSource dataSource;
    private final Duration answerWithin;
    private final AtomicBoolean lastReady = new AtomicBoolean(true);
    private CompletableFuture<Boolean> probe = CompletableFuture.completedFuture(false);

    public DatabaseReadiness(DataSource dataSource, Duration answerWithin) {
        this.dataSource = dataSource;
        this.answerWithin = answerWithin;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean ready() {
        boolean ready;
        try {
            ready = currentProbe().get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            ready = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready = false;
        }
        if (lastReady.getAndSet(ready) != ready) {
            if (ready) {
                LOG.info("postgresql: reachable again");
            } else {
                LOG.warn("postgresql: not reachable; the service reports not ready until it is");
            }
        }
        return ready;
    }

    /** The probe still waiting for the database, or a new one. */
    private synchronized CompletableFuture<Boolean> currentProbe() {
        if (probe.isDone()) {
            CompletableFuture<Boolean> next = new CompletableFuture<>();
            Thread.ofVirtual().name("postgresql-readiness").start(() -> next.complete(connectionValid()));
            probe = next;
        }
        return probe;
    }

    private boolean connectionValid() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(VALID_TIMEOUT_SEC);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
