package io.sipai.edge.tts;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One call's synthesis stream for an engine that synthesizes a sentence at a time on a shared pool of workers: the
 * call's sentences run one after another, in order, on whichever worker is free; {@link #clear()} (barge-in) drops
 * the queue and stops the sentence in progress from delivering anything more.
 */
final class SentenceQueue implements TextToSpeech.Stream {

    /** Where a sentence's audio goes: PCM16 16 kHz, the array may be reused after the call returns. */
    interface Sink {
        void accept(short[] pcm16k, int length);
    }

    /** Synthesizes one sentence into {@code sink}, stopping early once {@code cancelled} says so. */
    interface Synthesis {
        void synthesize(String text, Sink sink, BooleanSupplier cancelled) throws Exception;
    }

    private final ExecutorService workers;
    private final String engine;
    private final TextToSpeech.AudioListener listener;
    private final Synthesis synthesis;
    private final Deque<String[]> queue = new ArrayDeque<>();
    private final AtomicInteger generation = new AtomicInteger();
    private boolean running;
    private volatile boolean closed;

    SentenceQueue(ExecutorService workers, String engine, TextToSpeech.AudioListener listener, Synthesis synthesis) {
        this.workers = workers;
        this.engine = engine;
        this.listener = listener;
        this.synthesis = synthesis;
    }

    @Override
    public synchronized void speak(String sentenceId, String text) {
        queue.add(new String[]{sentenceId, text});
        if (!running) {
            running = true;
            submit();
        }
    }

    @Override
    public synchronized void clear() {
        queue.clear();
        generation.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        clear();
    }

    private void submit() {
        try {
            workers.execute(this::next);
        } catch (RejectedExecutionException e) {
            listener.failed(engine + " stopped");
        }
    }

    private void next() {
        String[] item;
        int gen;
        synchronized (this) {
            item = queue.poll();
            gen = generation.get();
            if (item == null || closed) {
                running = false;
                return;
            }
        }
        try {
            synthesis.synthesize(item[1], (pcm, n) -> {
                if (generation.get() == gen) {
                    listener.audio(item[0], pcm, n);
                }
            }, () -> generation.get() != gen || closed);
            if (generation.get() == gen && !closed) {
                listener.done(item[0]);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                running = false;
            }
            // A sentence that a barge-in or the call's end already cancelled fails nothing.
            if (generation.get() == gen && !closed) {
                listener.failed(engine + ": " + e);
            }
            return;
        }
        submit();
    }
}
