package io.sipai.edge.asr.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.asr.TranscriptListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's offline recognition: keeps the recent caller audio (bounded) and, at each pause and at the end of a
 * turn, decodes the turn's audio from its start plus a short pre-roll (the VAD reports speech only after it
 * started) on the engine's workers. Each final is the whole turn's so far (its start is the turn's): a grammar
 * forces whatever it decodes into one of its phrases, so a piece of a turn cut at a pause would come out as some
 * other phrase. Audio before the turn is dropped; the turn's own stays until the next turn starts.
 */
public final class SphinxStream implements SpeechToText.Stream {

    private static final Logger LOG = LoggerFactory.getLogger(SphinxStream.class);

    /** Decodes PCM16 little-endian 16 kHz audio to text. */
    @FunctionalInterface
    public interface Decoder {
        String decode(byte[] pcm16le) throws Exception;
    }

    private static final int RATE_PER_MS = 16;
    private static final int PRE_ROLL_MS = 300;
    private static final int MAX_MS = 20_000;

    private final Decoder decoder;
    private final Executor workers;
    private final TranscriptListener listener;
    private final short[] buffer = new short[MAX_MS * RATE_PER_MS];
    private long bufferStartMs = -1;
    /** The turn the last decode was of (its start), and where that decode ended. */
    private long turnStartMs = -1;
    private long turnEndMs = -1;
    private int samples;
    private volatile boolean closed;

    public SphinxStream(Decoder decoder, Executor workers, TranscriptListener listener) {
        this.decoder = decoder;
        this.workers = workers;
        this.listener = listener;
    }

    @Override
    public synchronized void audio(short[] frame, int length, long offsetMs) {
        if (bufferStartMs < 0) {
            bufferStartMs = offsetMs;
        }
        if (samples + length > buffer.length) {
            int drop = samples + length - buffer.length;
            System.arraycopy(buffer, drop, buffer, 0, samples - drop);
            samples -= drop;
            bufferStartMs += drop / RATE_PER_MS;
        }
        System.arraycopy(frame, 0, buffer, samples, length);
        samples += length;
    }

    @Override
    public void endOfTurn(long startMs, long endMs) {
        byte[] pcm;
        long from;
        synchronized (this) {
            if (bufferStartMs < 0) {
                listener.fin("", 0f, startMs, endMs, true);
                return;
            }
            from = Math.max(bufferStartMs, startMs - PRE_ROLL_MS);
            if (startMs != turnStartMs) {
                // A new turn: its pre-roll does not reach back into the audio the last turn was decoded from.
                from = Math.max(from, Math.min(startMs, turnEndMs));
                turnStartMs = startMs;
            }
            turnEndMs = endMs;
            int first = (int) Math.min(samples, (from - bufferStartMs) * RATE_PER_MS);
            int last = (int) Math.min(samples, Math.max(first, (endMs - bufferStartMs) * RATE_PER_MS));
            pcm = new byte[(last - first) * 2];
            for (int i = first; i < last; i++) {
                pcm[(i - first) * 2] = (byte) buffer[i];
                pcm[(i - first) * 2 + 1] = (byte) (buffer[i] >> 8);
            }
            // Only what precedes the turn goes: a later pause of the same turn decodes it from its start again.
            System.arraycopy(buffer, first, buffer, 0, samples - first);
            samples -= first;
            bufferStartMs += first / RATE_PER_MS;
        }
        // Reported from the turn's start at the latest: the final holds the whole turn so far.
        long start = Math.min(from, startMs);
        try {
            workers.execute(() -> decode(pcm, start, endMs));
        } catch (RejectedExecutionException e) {
            listener.failed("offline recognizer stopped");
        }
    }

    private void decode(byte[] pcm, long startMs, long endMs) {
        if (closed) {
            return;
        }
        try {
            String text = decoder.decode(pcm);
            if (!closed) {
                listener.fin(text, 0f, startMs, endMs, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The exception's class too: Sphinx throws some without a message.
            LOG.warn("offline recognizer failed on {} ms of audio", endMs - startMs, e);
            listener.failed("sphinx: " + e);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
