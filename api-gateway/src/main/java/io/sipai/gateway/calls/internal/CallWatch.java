package io.sipai.gateway.calls.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How far one watched call's projected timeline has got, as the poller last read it; the streams of that call wait
 * here for it to move past what they sent.
 */
final class CallWatch {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private long latestSeq;
    private int streams;

    /** Records the call's newest seq and wakes its streams when it moved. */
    void advanceTo(long seq) {
        lock.lock();
        try {
            if (seq > latestSeq) {
                latestSeq = seq;
                moved.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting stream, e.g. one whose client went away. */
    void wakeAll() {
        lock.lock();
        try {
            moved.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the call's newest seq is past {@code sentSeq}; false when {@code timeout} passed first or, once
     * {@link #wakeAll() woken}, the stream is {@code gone}.
     */
    boolean awaitPast(long sentSeq, Duration timeout, BooleanSupplier gone) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (latestSeq <= sentSeq) {
                if (nanos <= 0 || gone.getAsBoolean()) {
                    return false;
                }
                nanos = moved.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a stream in; the registry holds the watch while any is open. */
    void join() {
        lock.lock();
        try {
            streams++;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a stream out; true when it was the last. */
    boolean leave() {
        lock.lock();
        try {
            return --streams == 0;
        } finally {
            lock.unlock();
        }
    }
}
