package io.sipai.dispatcher.delivery.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * Bounds the requests open per endpoint (subscription) in this instance by a limit that may change at any time:
 * this instance's share of the deployment-wide cap, which moves with the number of live instances. A lower limit
 * lets no new request start until enough open ones end; a higher one admits waiting requests within
 * {@value #RECHECK_MILLIS} ms.
 */
final class EndpointPermits {

    /** How often a waiter looks at the limit again when no request of its endpoint ended. */
    static final long RECHECK_MILLIS = 100;

    private final IntSupplier limit;
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    EndpointPermits(IntSupplier limit) {
        this.limit = limit;
    }

    /** Waits until a request to {@code endpoint} may start and counts it as open. */
    void acquire(String endpoint) throws InterruptedException {
        gates.computeIfAbsent(endpoint, id -> new Gate()).acquire();
    }

    /** Counts one request to {@code endpoint} as ended. */
    void release(String endpoint) {
        Gate gate = gates.get(endpoint);
        if (gate != null) {
            gate.release();
        }
    }

    /** Requests open to {@code endpoint} now. */
    int open(String endpoint) {
        Gate gate = gates.get(endpoint);
        return gate == null ? 0 : gate.open();
    }

    private final class Gate {
        private final ReentrantLock lock = new ReentrantLock(true);
        private final Condition ended = lock.newCondition();
        private int open;

        void acquire() throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (open >= limit.getAsInt()) {
                    ended.await(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                }
                open++;
            } finally {
                lock.unlock();
            }
        }

        void release() {
            lock.lock();
            try {
                open--;
                ended.signal();
            } finally {
                lock.unlock();
            }
        }

        int open() {
            lock.lock();
            try {
                return open;
            } finally {
                lock.unlock();
            }
        }
    }
}
