package io.sipai.edge.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.testing.ws.WsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The telephony side of a call in the voice tests, whatever the wire protocol: sends caller audio in 20 ms frames
 * paced to real time (silence when there is nothing to say, as a phone network does), acknowledges every mark as
 * played, and records when media, marks and clears arrive. Subclasses only encode frames and read their protocol's
 * messages.
 */
abstract class PacedCaller implements AutoCloseable {

    /** 20 ms at 16 kHz. */
    static final int FRAME_SAMPLES = 320;
    static final JsonMapper JSON = JsonMapper.builder().build();

    final WsClient ws;
    final List<String> clears = new CopyOnWriteArrayList<>();
    final AtomicInteger mediaReceived = new AtomicInteger();
    final AtomicInteger marksPlayed = new AtomicInteger();
    volatile long lastClearNanos;
    private final ConcurrentLinkedQueue<short[]> outgoing = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private Thread reader;

    PacedCaller(WsClient ws) {
        this.ws = ws;
    }

    /** Starts reading the server's messages and sending audio; call once the protocol's opening is sent. */
    final void startStreaming() {
        reader = Thread.ofPlatform().daemon().name(getClass().getSimpleName() + "-reader").start(this::read);
        clock.scheduleAtFixedRate(this::tick, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Queues speech (PCM16 16 kHz) followed by {@code silenceMs} of silence. */
    final void say(short[] pcm16k, int silenceMs) {
        short[] all = Arrays.copyOf(pcm16k, pcm16k.length + silenceMs * 16);
        for (int offset = 0; offset + FRAME_SAMPLES <= all.length; offset += FRAME_SAMPLES) {
            outgoing.add(Arrays.copyOfRange(all, offset, offset + FRAME_SAMPLES));
        }
    }

    /** Whether everything queued was sent. */
    final boolean sent() {
        return outgoing.isEmpty();
    }

    /** Sends one 20 ms frame of caller audio given as PCM16 16 kHz. */
    abstract void sendFrame(short[] pcm16k);

    /** Handles one text message from the server. */
    abstract void onMessage(JsonNode message);

    final void markPlayed() {
        marksPlayed.incrementAndGet();
    }

    final void cleared(String text) {
        lastClearNanos = System.nanoTime();
        clears.add(text);
    }

    /** Halves the rate by averaging pairs, as the tests' 8 kHz callers do. */
    static short[] to8k(short[] pcm16k) {
        short[] out = new short[pcm16k.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((pcm16k[2 * i] + pcm16k[2 * i + 1]) / 2);
        }
        return out;
    }

    /** Little-endian bytes of PCM16 samples (L16 on jambonz, sipai's binary frames). */
    static byte[] littleEndian(short[] samples) {
        byte[] bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            bytes[2 * i] = (byte) samples[i];
            bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return bytes;
    }

    private void tick() {
        short[] frame = outgoing.poll();
        try {
            sendFrame(frame == null ? new short[FRAME_SAMPLES] : frame);
        } catch (RuntimeException e) {
            clock.shutdown();
        }
    }

    private void read() {
        while (!Thread.currentThread().isInterrupted()) {
            String text;
            try {
                text = ws.texts.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (text != null) {
                onMessage(JSON.readTree(text));
            }
        }
    }

    final synchronized void sendText(String text) {
        ws.text(text);
    }

    final synchronized void sendBinary(byte[] data) {
        ws.binary(data);
    }

    @Override
    public void close() {
        clock.shutdownNow();
        if (reader != null) {
            reader.interrupt();
        }
        ws.close();
    }
}
