package io.sipai.edge.connection;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.sipai.edge.DrainSettings;
import io.sipai.edge.events.CallEventPublisher;
import io.sipai.runtime.ReadinessCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Drain on shutdown (SIGTERM). Stopped first of all lifecycle beans, while the web server still accepts
 * connections: readiness turns false at once, new upgrades are answered 503, live connections get
 * {@code DRAIN_TIMEOUT_SEC} to end by themselves, the rest are closed with 1001 (CallEnded reason DRAINED), and
 * every queued call event is flushed to Kafka before the producer is closed.
 */
public final class DrainController implements SmartLifecycle, ReadinessCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DrainController.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Set<EdgeConnection> connections = ConcurrentHashMap.newKeySet();
    private final DrainSettings settings;
    private final CallEventPublisher publisher;
    private volatile boolean running;
    private volatile boolean draining;

    public DrainController(DrainSettings settings, CallEventPublisher publisher) {
        this.settings = settings;
        this.publisher = publisher;
    }

    /** Whether new connections must be refused. */
    public boolean draining() {
        return draining;
    }

    void register(EdgeConnection connection) {
        connections.add(connection);
        if (draining) {
            connection.drain();
        }
    }

    void unregister(EdgeConnection connection) {
        connections.remove(connection);
    }

    /** Open connections of every protocol. */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public boolean ready() {
        return !draining;
    }

    @Override
    public void start() {
        // A lifecycle restart (Spring pauses and resumes cached contexts) takes traffic again.
        draining = false;
        running = true;
    }

    @Override
    public void stop() {
        draining = true;
        LOG.info("draining: {} open connections, up to {} s", connections.size(), settings.timeoutSec());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.timeoutSec());
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        List<EdgeConnection> remaining = List.copyOf(connections);
        remaining.forEach(EdgeConnection::drain);
        long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!connections.isEmpty() && System.nanoTime() < closeDeadline) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        boolean flushed = publisher.flush(Duration.ofSeconds(10));
        LOG.info("drained: {} calls closed with 1001, events flushed: {}", remaining.size(), flushed);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
