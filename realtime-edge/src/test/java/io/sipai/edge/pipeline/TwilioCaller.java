package io.sipai.edge.pipeline;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.testing.WsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays the Twilio side of a Media Stream in the voice tests: sends caller audio as mu-law media messages paced to
 * real time (silence when there is nothing to say, as Twilio does), acknowledges every mark as played, and records
 * when media, marks and clears arrive.
 */
final class TwilioCaller implements AutoCloseable {

    static final String STREAM_SID = "MZ00000000000000000000000000000077";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte SILENCE = MuLaw.encode((short) 0);

    final WsClient ws;
    final List<String> clears = new CopyOnWriteArrayList<>();
    final AtomicInteger mediaReceived = new AtomicInteger();
    final AtomicInteger marksPlayed = new AtomicInteger();
    volatile long lastClearNanos;
    private final ConcurrentLinkedQueue<byte[]> outgoing = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final Thread reader;
    private final AtomicInteger chunk = new AtomicInteger();

    TwilioCaller(WsClient ws, String callId, String tenantId, String token, String agentId) {
        this.ws = ws;
        ws.text("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
        ws.text("""
                {"event":"start","sequenceNumber":"1","start":{"accountSid":"AC00000000000000000000000000000001",
                "streamSid":"%s","callSid":"CA00000000000000000000000000000077","tracks":["inbound"],
                "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},
                "customParameters":{"callId":"%s","tenantId":"%s","token":"%s","agentId":"%s"}},
                "streamSid":"%s"}""".formatted(STREAM_SID, callId, tenantId, token, agentId, STREAM_SID));
        reader = Thread.ofPlatform().daemon().name("twilio-caller-reader").start(this::read);
        clock.scheduleAtFixedRate(this::tick, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Queues speech (PCM16 16 kHz) followed by {@code silenceMs} of silence. */
    void say(short[] pcm16k, int silenceMs) {
        int samples8k = pcm16k.length / 2;
        byte[] mulaw = new byte[samples8k + silenceMs * 8];
        java.util.Arrays.fill(mulaw, SILENCE);
        for (int i = 0; i < samples8k; i++) {
            mulaw[i] = MuLaw.encode((short) ((pcm16k[2 * i] + pcm16k[2 * i + 1]) / 2));
        }
        for (int offset = 0; offset + 160 <= mulaw.length; offset += 160) {
            outgoing.add(java.util.Arrays.copyOfRange(mulaw, offset, offset + 160));
        }
    }

    /** Whether everything queued was sent. */
    boolean sent() {
        return outgoing.isEmpty();
    }

    private void tick() {
        byte[] frame = outgoing.poll();
        if (frame == null) {
            frame = new byte[160];
            java.util.Arrays.fill(frame, SILENCE);
        }
        int n = chunk.incrementAndGet();
        try {
            send("{\"event\":\"media\",\"sequenceNumber\":\"" + (n + 1) + "\",\"media\":{\"track\":\"inbound\","
                    + "\"chunk\":\"" + n + "\",\"timestamp\":\"" + n * 20 + "\",\"payload\":\""
                    + Base64.getEncoder().encodeToString(frame) + "\"},\"streamSid\":\"" + STREAM_SID + "\"}");
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
            if (text == null) {
                continue;
            }
            JsonNode msg = JSON.readTree(text);
            switch (msg.path("event").asString()) {
                case "media" -> mediaReceived.incrementAndGet();
                case "mark" -> {
                    send(JSON.writeValueAsString(Map.of("event", "mark", "streamSid", STREAM_SID,
                            "sequenceNumber", "0", "mark", Map.of("name", msg.path("mark").path("name").asString()))));
                    marksPlayed.incrementAndGet();
                }
                case "clear" -> {
                    lastClearNanos = System.nanoTime();
                    clears.add(text);
                }
                default -> {
                }
            }
        }
    }

    private synchronized void send(String text) {
        ws.text(text);
    }

    @Override
    public void close() {
        clock.shutdownNow();
        reader.interrupt();
        ws.close();
    }
}
