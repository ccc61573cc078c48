package io.sipai.edge.pipeline.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call's pipeline logic one task at a time, in submission order, on a shared executor: the provider
 * callbacks, VAD events and timers of a call never race, without a thread per call. Once the node has shut its
 * executors down (context close, after the drain has ended every call), late callbacks are dropped here rather than
 * thrown at whichever vendor or engine thread delivered them.
 */
public final class CallActor {

    private static final Logger LOG = LoggerFactory.getLogger(CallActor.class);

    private final Executor executor;
    private final ScheduledExecutorService timers;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    /** The thread draining this actor's tasks right now, if any. */
    private volatile Thread runner;

    public CallActor(Executor executor, ScheduledExecutorService timers) {
        this.executor = executor;
        this.timers = timers;
    }

    /** Runs {@code task} after the tasks already submitted. */
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            int dropped;
            synchronized (tasks) {
                dropped = tasks.size();
                tasks.clear();
                running = false;
            }
            LOG.debug("{} call task(s) dropped: the node's executors are shut down", dropped);
        }
    }

    /** Runs {@code task} on this actor after {@code delayMs}; a timer asked for after shutdown never fires. */
    public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        try {
            return timers.schedule(() -> execute(task), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("call timer dropped: the node's timers are shut down");
            return new NeverFires();
        }
    }

    /** Whether the calling thread is running one of this actor's tasks. */
    public boolean onActorThread() {
        return runner == Thread.currentThread();
    }

    private void drain() {
        runner = Thread.currentThread();
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    runner = null;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("voice pipeline task failed", e);
            }
        }
    }

    /** The future of a timer that was never scheduled: already cancelled, so cancelling it again is harmless. */
    private static final class NeverFires extends CompletableFuture<Object> implements ScheduledFuture<Object> {
        NeverFires() {
            cancel(false);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return Long.MAX_VALUE;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
