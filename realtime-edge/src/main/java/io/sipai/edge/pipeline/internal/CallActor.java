package io.sipai.edge.pipeline.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call's pipeline logic one task at a time, in submission order, on a shared executor: the provider
 * callbacks, VAD events and timers of a call never race, without a thread per call.
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
        executor.execute(this::drain);
    }

    /** Runs {@code task} on this actor after {@code delayMs}. */
    public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return timers.schedule(() -> execute(task), delayMs, TimeUnit.MILLISECONDS);
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
}
