package io.sipai.edge.recording;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import io.sipai.config.RecordingChannels;
import io.sipai.edge.recording.internal.AgentTrack;
import io.sipai.edge.recording.internal.WavHeader;
import io.sipai.runtime.recordings.RecordingStore;

/**
 * Records one call as it was heard: the caller's audio as received and the agent's audio as played, on one
 * timeline (16 kHz), into a WAV file that is written while the call runs (a small buffer per call, never the whole
 * call in memory). The audio threads only mix into the buffer; the node's {@link RecordingWriter} does the file
 * I/O.
 * <p>
 * The timeline is the caller's track: each caller frame continues it. Agent audio is placed where the caller hears
 * it: at the timeline's current position, or after the agent audio placed before it, whichever is later (playback
 * sends audio a little ahead of real time and the client plays it in order). A barge-in's clear cuts what was placed
 * beyond the current position: the caller never heard it. When the caller's audio stops arriving (a client that
 * sends nothing while it listens, a late first frame), the wall clock carries the timeline on with silence, so the
 * agent's audio still lands where it was played; at the end, agent audio already played is kept.
 * <p>
 * Dual-channel files hold the caller on the left and the agent on the right; mixed files sum both. Thread-safe: the
 * caller's audio comes from the connection's thread, the agent's from playback.
 */
public final class CallRecorder {

    /** Sample rate of the recording (the pipeline's rate). */
    public static final int SAMPLE_RATE = 16_000;
    /** How far the caller's audio may lag the wall clock before the timeline goes on without it. */
    static final int STALL_SAMPLES = SAMPLE_RATE * 300 / 1000;
    private static final int MAX_AGENT_AHEAD_SAMPLES = SAMPLE_RATE * 60;
    private static final int BUFFER_BYTES = 32 * 1024;

    /** What a finished recording is. */
    public record Result(String location, String contentType, long durationMs, long bytes) {
    }

    private final RecordingStore.Upload upload;
    private final RecordingWriter writer;
    private final int channels;
    private final LongSupplier nanos;
    private final long startNanos;
    private final AgentTrack agent = new AgentTrack(MAX_AGENT_AHEAD_SAMPLES);
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int buffered;
    /** Samples per channel on the timeline so far. */
    private long position;
    private boolean callerHeard;
    private boolean finished;
    /** Set by the writer thread when a write failed, or by an audio thread when the writer's queue was full. */
    private volatile IOException failure;

    /**
     * @param upload   where the file goes; the recorder completes or closes it
     * @param writer   the node's file writer
     * @param channels DUAL or MIXED
     * @param nanos    the clock ({@link System#nanoTime} outside tests)
     */
    public CallRecorder(RecordingStore.Upload upload, RecordingWriter writer, RecordingChannels channels,
                        LongSupplier nanos) {
        this.upload = upload;
        this.writer = writer;
        this.channels = channels == RecordingChannels.MIXED ? 1 : 2;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        byte[] header = WavHeader.of(SAMPLE_RATE, this.channels, 0);
        System.arraycopy(header, 0, buffer, 0, header.length);
        buffered = header.length;
    }

    /** Caller audio, PCM16 16 kHz, in the order received. */
    public synchronized void caller(short[] pcm, int n) {
        if (finished) {
            return;
        }
        long wall = wallPosition();
        if (!callerHeard || wall - n - position > STALL_SAMPLES) {
            // The caller's first audio, or the first after a pause: this chunk is audio of now.
            callerHeard = true;
            silenceTo(wall - n);
        }
        for (int i = 0; i < n; i++) {
            frame(pcm[i]);
        }
    }

    /** Agent audio, PCM16 16 kHz, as sent to the caller. */
    public synchronized void agent(short[] pcm, int n) {
        if (finished) {
            return;
        }
        catchUp();
        agent.place(Math.max(position, agent.end()), pcm, n);
    }

    /** Playback was cleared: agent audio not yet heard never will be. */
    public synchronized void clear() {
        if (finished) {
            return;
        }
        catchUp();
        agent.cutAt(position);
    }

    /**
     * Ends the recording: agent audio already played is kept, the rest written, and the file published by the
     * writer thread. Completes with the stored recording, or exceptionally when it could not be written.
     */
    public synchronized CompletableFuture<Result> finish() {
        CompletableFuture<Result> stored = new CompletableFuture<>();
        if (finished) {
            stored.completeExceptionally(new IllegalStateException("the recording was finished already"));
            return stored;
        }
        // Agent audio the caller heard after their last frame (a reply, then the hang-up) is part of the call.
        silenceTo(Math.min(wallPosition(), agent.end()));
        finished = true;
        flush();
        long durationMs = position * 1000 / SAMPLE_RATE;
        if (!writer.submit(() -> complete(durationMs, stored))) {
            discardElsewhere();
            stored.completeExceptionally(new IOException("the recording writer's queue is full"));
        }
        return stored;
    }

    /** Throws the recording away (the call ended before the recorder was attached to it). */
    public synchronized void abort() {
        if (finished) {
            return;
        }
        finished = true;
        if (!writer.submit(upload::close)) {
            discardElsewhere();
        }
    }

    /**
     * Throws the upload away off the call's thread: the writer thread may still be writing it (the upload waits for
     * that), and an S3 upload's abort is a network round trip.
     */
    private void discardElsewhere() {
        Thread.ofVirtual().name("recording-discard").start(upload::close);
    }

    /** Agent samples that arrived more than a minute ahead of the timeline and were not recorded. */
    public synchronized long droppedAgentSamples() {
        return agent.dropped();
    }

    /** On the writer thread: the header gets the length, the file its final name. */
    private void complete(long durationMs, CompletableFuture<Result> stored) {
        try (RecordingStore.Upload file = upload) {
            if (failure != null) {
                throw failure;
            }
            file.rewrite(0, WavHeader.of(SAMPLE_RATE, channels, file.size() - WavHeader.BYTES));
            long bytes = file.size();
            stored.complete(new Result(file.complete(), "audio/wav", durationMs, bytes));
        } catch (IOException | RuntimeException e) {
            stored.completeExceptionally(e);
        }
    }

    private void catchUp() {
        long wall = wallPosition();
        if (!callerHeard || wall - position > STALL_SAMPLES) {
            silenceTo(wall);
        }
    }

    private long wallPosition() {
        return (nanos.getAsLong() - startNanos) * SAMPLE_RATE / 1_000_000_000L;
    }

    private void silenceTo(long target) {
        while (position < target) {
            frame((short) 0);
        }
    }

    private void frame(short caller) {
        short played = agent.take(position);
        position++;
        if (channels == 2) {
            put(caller);
            put(played);
        } else {
            put((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, caller + played)));
        }
    }

    private void put(short sample) {
        buffer[buffered++] = (byte) sample;
        buffer[buffered++] = (byte) (sample >> 8);
        if (buffered == buffer.length) {
            flush();
        }
    }

    private void flush() {
        if (buffered == 0 || failure != null) {
            buffered = 0;
            return;
        }
        byte[] chunk = Arrays.copyOf(buffer, buffered);
        buffered = 0;
        if (!writer.submit(() -> write(chunk))) {
            // Keep the call going: the recording is lost, the conversation is not.
            failure = new IOException("the recording writer's queue is full");
        }
    }

    /** On the writer thread. */
    private void write(byte[] chunk) {
        if (failure != null) {
            return;
        }
        try {
            upload.write(chunk, 0, chunk.length);
        } catch (IOException e) {
            failure = e;
        }
    }
}
