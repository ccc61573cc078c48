package io.sipai.edge.recording;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of an edge node that writes recordings to their store, so no call's audio thread ever waits on a
 * disk or a network mount: recorders hand it filled buffers and the finishing of their files, in order. Its queue
 * is bounded; a recorder whose buffer does not fit loses its recording (the call goes on). Thread-safe.
 */
public final class RecordingWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingWriter.class);
    private static final Runnable STOP = () -> {
    };

    private final BlockingQueue<Runnable> tasks;
    private final Thread thread;

    /** @param capacity tasks queued at most (a task is one buffer of one recorder, or the end of a recording) */
    public RecordingWriter(int capacity) {
        this.tasks = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("recording-writer").daemon().start(this::run);
    }

    /** Queues a task; false when the queue is full. Never blocks. */
    boolean submit(Runnable task) {
        return tasks.offer(task);
    }

    private void run() {
        while (true) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("recording task failed: {}", e.toString());
            }
        }
    }

    /** Writes what is queued (recordings of calls that ended in a drain), for up to 10 s, then stops. */
    @Override
    public void close() throws InterruptedException {
        if (!tasks.offer(STOP, 10, TimeUnit.SECONDS)) {
            thread.interrupt();
        }
        thread.join(10_000);
    }
}
