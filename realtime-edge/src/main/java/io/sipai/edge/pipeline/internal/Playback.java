package io.sipai.edge.pipeline.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.sipai.edge.session.SessionOutput;

/**
 * Plays agent audio to the caller paced to real time: frames go out no more than {@code leadMs} ahead of the
 * playback clock, so at barge-in the client holds little unplayed audio and a clear takes effect at once. Marks are
 * queued between frames and sent when the audio before them was sent. Thread-safe.
 */
public final class Playback {

    /** Samples in one 20 ms frame at 16 kHz. */
    public static final int FRAME = 320;

    /** What playback tells the pipeline. */
    public interface Listener {
        /** The first frame after the queue was empty went out. */
        void audioStarted(long sentNanos);
    }

    private final SessionOutput output;
    private final ScheduledExecutorService ticker;
    private final int leadMs;
    private final Listener listener;
    private final Deque<Object> queue = new ArrayDeque<>();
    private short[] partial = new short[FRAME];
    private int partialLength;
    private long clockStartNanos;
    private long sentMs;
    private ScheduledFuture<?> tick;

    public Playback(SessionOutput output, ScheduledExecutorService ticker, int leadMs, Listener listener) {
        this.output = output;
        this.ticker = ticker;
        this.leadMs = leadMs;
        this.listener = listener;
    }

    /** Queues audio; it is cut into 20 ms frames. */
    public synchronized void audio(short[] pcm, int length) {
        int offset = 0;
        while (offset < length) {
            int take = Math.min(FRAME - partialLength, length - offset);
            System.arraycopy(pcm, offset, partial, partialLength, take);
            partialLength += take;
            offset += take;
            if (partialLength == FRAME) {
                queue.add(partial);
                partial = new short[FRAME];
                partialLength = 0;
            }
        }
        pump();
    }

    /** Queues a mark after the audio queued so far (a short last frame is padded with silence). */
    public synchronized void mark(String name) {
        if (partialLength > 0) {
            queue.add(partial);
            partial = new short[FRAME];
            partialLength = 0;
        }
        queue.add(name);
        pump();
    }

    /** Drops everything not yet sent. */
    public synchronized void clear() {
        queue.clear();
        partialLength = 0;
        stop();
    }

    /** Milliseconds of audio queued and not yet sent. */
    public synchronized long queuedMs() {
        return queue.stream().filter(o -> o instanceof short[]).count() * 20;
    }

    /** Stops the ticker for good. */
    public synchronized void close() {
        clear();
    }

    private void pump() {
        if (tick != null || queue.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if ((now - clockStartNanos) / 1_000_000 >= sentMs) {
            // The client has played everything sent: restart the clock. Otherwise keep it, so chunks that arrive
            // one by one are still paced against what is already playing.
            clockStartNanos = now;
            sentMs = 0;
        }
        sendDue();
        if (!queue.isEmpty()) {
            tick = ticker.scheduleAtFixedRate(this::onTick, 20, 20, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void onTick() {
        sendDue();
        if (queue.isEmpty()) {
            stop();
        }
    }

    private void sendDue() {
        long elapsedMs = (System.nanoTime() - clockStartNanos) / 1_000_000;
        while (!queue.isEmpty() && (sentMs < elapsedMs + leadMs || queue.peekFirst() instanceof String)) {
            Object next = queue.pollFirst();
            if (next instanceof String name) {
                output.mark(name);
            } else {
                short[] frame = (short[]) next;
                if (sentMs == 0) {
                    listener.audioStarted(System.nanoTime());
                }
                output.sendAudio(frame, FRAME);
                sentMs += 20;
            }
        }
    }

    private void stop() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }
}
