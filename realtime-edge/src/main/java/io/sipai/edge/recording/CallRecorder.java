package io.sipai.edge.recording;

import java.io.IOException;
import java.util.function.LongSupplier;

import io.sipai.config.RecordingChannels;
import io.sipai.edge.recording.internal.AgentTrack;
import io.sipai.edge.recording.internal.WavHeader;
import io.sipai.runtime.recordings.RecordingStore;

/**
 * Records one call as it was heard: the caller's audio as received and the agent's audio as played, on one
 * timeline (16 kHz), into a WAV file that is written while the call runs (a small buffer per call, never the whole
 * call in memory).
 * <p>
 * The timeline is the caller's track: each caller frame continues it. Agent audio is placed where the caller hears
 * it: at the timeline's current position, or after the agent audio placed before it, whichever is later (playback
 * sends audio a little ahead of real time and the client plays it in order). A barge-in's clear cuts what was placed
 * beyond the current position: the caller never heard it. When the caller's audio stops arriving (a client that
 * sends nothing while it listens, a late first frame), the wall clock carries the timeline on with silence, so the
 * agent's audio still lands where it was played.
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
    private IOException failure;

    /**
     * @param upload   where the file goes; the recorder completes or closes it
     * @param channels DUAL or MIXED
     * @param nanos    the clock ({@link System#nanoTime} outside tests)
     */
    public CallRecorder(RecordingStore.Upload upload, RecordingChannels channels, LongSupplier nanos)
            throws IOException {
        this.upload = upload;
        this.channels = channels == RecordingChannels.MIXED ? 1 : 2;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        upload.write(WavHeader.of(SAMPLE_RATE, this.channels, 0), 0, WavHeader.BYTES);
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
        catchUp();
        agent.cutAt(position);
    }

    /** Ends the recording and publishes the file; throws when it could not be written. */
    public synchronized Result finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("the recording was finished already");
        }
        finished = true;
        try {
            flush();
            if (failure != null) {
                throw failure;
            }
            long dataBytes = upload.size() - WavHeader.BYTES;
            upload.rewrite(0, WavHeader.of(SAMPLE_RATE, channels, dataBytes));
            long bytes = upload.size();
            return new Result(upload.complete(), "audio/wav", position * 1000 / SAMPLE_RATE, bytes);
        } finally {
            upload.close();
        }
    }

    /** Throws the recording away (the call's recording failed, or the edge shuts down without it). */
    public synchronized void abort() {
        finished = true;
        upload.close();
    }

    /** Agent samples that arrived more than a minute ahead of the timeline and were not recorded. */
    public synchronized long droppedAgentSamples() {
        return agent.dropped();
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
        try {
            upload.write(buffer, 0, buffered);
        } catch (IOException e) {
            // Keep the call going: the recording is lost, the conversation is not.
            failure = e;
        }
        buffered = 0;
    }
}
