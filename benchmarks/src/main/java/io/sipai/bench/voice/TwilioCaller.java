package io.sipai.bench.voice;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.sipai.testing.twilio.TwilioMessages;

/**
 * One caller of the call benchmarks over Twilio Media Streams on a plain blocking socket: sends a 20 ms mu-law frame
 * every 20 ms (speech when it has something to say, silence otherwise, as a phone network does), acknowledges the
 * edge's marks, and waits for the agent to finish each reply before the next phrase, or, every
 * {@code bargeInEvery}-th phrase, says it {@value #BARGE_IN_AFTER_MS} ms into the agent's reply instead. Records, per
 * phrase, the time from its last speech frame sent to the first agent audio received, the agent audio received
 * for the reply, and for a barge-in the time from its first speech frame to the edge's {@code clear}. Ends when the
 * edge closes the call, or, with {@code hangUp}, sends {@code stop} after the last reply.
 */
final class TwilioCaller {

    /** How a caller behaves: never barging in and waiting for the agent to hang up, as the offline call does. */
    record Behaviour(int bargeInEvery, boolean hangUp) {
        static final Behaviour LISTEN = new Behaviour(0, false);
    }

    /**
     * One phrase: its voice-to-voice at the caller (-1 without an answer), the agent audio received before the
     * next phrase, whether the caller cut that reply short, and the barge-in reaction of the phrase (-1 unless it
     * interrupted the agent or when no clear came), the replies the edge started and cleared while the phrase was
     * still being said (a turn it ended at a pause inside the phrase) and those cleared after it, before the answer.
     */
    record Turn(int phrase, long voiceToVoiceMicros, long agentAudioMs, boolean interrupted, long bargeInMicros,
                int clearsWhileSpeaking, int clearsAfter) {
    }

    private static final int FRAME = 160;
    private static final long AGENT_DONE_NANOS = TimeUnit.MILLISECONDS.toNanos(700);
    private static final int BARGE_IN_AFTER_MS = 300;
    private static final byte SILENCE = (byte) 0xFF;

    private final URI stream;
    private final String callId;
    private final String tenantId;
    private final String agentId;
    private final String secret;
    private final Behaviour behaviour;
    private final List<Turn> turns = new ArrayList<>();
    private volatile long lastAgentAudio;
    private volatile long firstAudioAfter;
    private volatile long agentAudioBytes;
    private volatile long clearedAt;
    private volatile long lastClearAt;
    private volatile long bytesAtLastClear;
    /** Written by the reader thread only. */
    private volatile int clears;
    private volatile boolean closed;
    private boolean completed;

    TwilioCaller(URI stream, String callId, String tenantId, String agentId, String secret, Behaviour behaviour) {
        this.stream = stream;
        this.callId = callId;
        this.tenantId = tenantId;
        this.agentId = agentId;
        this.secret = secret;
        this.behaviour = behaviour;
    }

    /** Plays the whole call; returns when it ended or after two minutes. */
    void play(List<byte[]> phrases) {
        try (Socket socket = new Socket(stream.getHost(), stream.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = handshake(socket, out);
            send(out, TwilioMessages.CONNECTED);
            send(out, TwilioMessages.start(secret, callId, tenantId, agentId));
            Thread reader = Thread.ofVirtual().start(() -> read(in, out));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            Pacer pacer = new Pacer(out);
            awaitAgentDone(pacer, deadline);
            for (int i = 0; i < phrases.size() && !closed; i++) {
                say(pacer, phrases, i, deadline);
            }
            if (behaviour.hangUp() && !closed) {
                send(out, TwilioMessages.stop(callId));
            }
            while (!closed && System.nanoTime() < deadline) {
                pacer.silence();
            }
            completed = closed && turns.size() == phrases.size()
                    && turns.stream().allMatch(t -> t.voiceToVoiceMicros() >= 0);
            reader.join(1000);
        } catch (IOException | InterruptedException e) {
            System.err.println(callId + " failed: " + e);
        }
    }

    private void say(Pacer pacer, List<byte[]> phrases, int i, long deadline)
            throws IOException, InterruptedException {
        boolean bargeIn = bargesIn(i);
        clearedAt = 0;
        int clearsBefore = clears;
        long spokeAt = System.nanoTime();
        pacer.say(phrases.get(i));
        long end = System.nanoTime();
        int clearsWhileSpeaking = clears - clearsBefore;
        long reaction = bargeIn && clearedAt > 0 ? (clearedAt - spokeAt) / 1000 : -1;
        long audioBefore = agentAudioBytes;
        firstAudioAfter = end;
        boolean nextBargesIn = i + 1 < phrases.size() && bargesIn(i + 1);
        if (nextBargesIn) {
            awaitFirstAudio(pacer, deadline);
            for (int f = 0; f < BARGE_IN_AFTER_MS / 20 && !closed; f++) {
                pacer.silence();
            }
        } else {
            awaitAgentDone(pacer, deadline);
        }
        long latency = lastAgentAudio > end ? (firstAudioAfter - end) / 1000 : -1;
        long replyFrom = lastClearAt > end ? bytesAtLastClear : audioBefore;
        turns.add(new Turn(i, latency, (agentAudioBytes - replyFrom) / 8, nextBargesIn, reaction,
                clearsWhileSpeaking, clears - clearsBefore - clearsWhileSpeaking));
    }

    private boolean bargesIn(int phrase) {
        return behaviour.bargeInEvery() > 0 && phrase > 0 && phrase % behaviour.bargeInEvery() == 0;
    }

    List<Turn> turns() {
        return turns;
    }

    String callId() {
        return callId;
    }

    /** Per phrase answered, voice-to-voice at the caller in microseconds. */
    List<Long> turnLatencies() {
        return turns.stream().map(Turn::voiceToVoiceMicros).filter(v -> v >= 0).toList();
    }

    boolean completed() {
        return completed;
    }

    /** Sends silence until the agent spoke and then stayed quiet for a while (or the call closed). */
    private void awaitAgentDone(Pacer pacer, long deadline) throws IOException, InterruptedException {
        long since = pacer.now();
        while (!closed && System.nanoTime() < deadline) {
            pacer.silence();
            long last = lastAgentAudio;
            if (last > since && last > lastClearAt && System.nanoTime() - last > AGENT_DONE_NANOS) {
                return;
            }
        }
    }

    /** Sends silence until the agent's reply started (or the call closed). */
    private void awaitFirstAudio(Pacer pacer, long deadline) throws IOException, InterruptedException {
        long since = pacer.now();
        while (!closed && System.nanoTime() < deadline && lastAgentAudio <= since) {
            pacer.silence();
        }
    }

    private void read(DataInputStream in, OutputStream out) {
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = in.readNBytes((int) length);
                if ((b0 & 0x0F) == 0x8) {
                    break;
                }
                onText(new String(payload, StandardCharsets.UTF_8), out);
            }
        } catch (IOException e) {
            // The edge closed the socket: the call is over.
        } finally {
            closed = true;
        }
    }

    private void onText(String text, OutputStream out) throws IOException {
        if (text.contains("\"event\":\"media\"")) {
            long now = System.nanoTime();
            if (firstAudioAfter > 0 && lastAgentAudio < firstAudioAfter) {
                firstAudioAfter = now;
            }
            lastAgentAudio = now;
            int at = text.indexOf("\"payload\":\"") + 11;
            int end = text.indexOf('"', at);
            int padding = text.charAt(end - 1) != '=' ? 0 : text.charAt(end - 2) == '=' ? 2 : 1;
            agentAudioBytes += (end - at) / 4 * 3 - padding;
        } else if (text.contains("\"event\":\"mark\"")) {
            int at = text.indexOf("\"name\":\"") + 8;
            String name = text.substring(at, text.indexOf('"', at));
            send(out, TwilioMessages.mark(callId, name));
        } else if (text.contains("\"event\":\"clear\"")) {
            long now = System.nanoTime();
            if (clearedAt == 0) {
                clearedAt = now;
            }
            // A reply cleared after the caller's phrase was a false start (a turn that ended at a pause inside the
            // phrase): the answer is the audio after the last clear.
            bytesAtLastClear = agentAudioBytes;
            lastClearAt = now;
            clears++;
            if (firstAudioAfter > 0 && now > firstAudioAfter) {
                firstAudioAfter = now;
            }
        }
    }

    private static DataInputStream handshake(Socket socket, OutputStream out) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.write(String.format(Locale.ROOT, "GET /telephony/twilio/stream HTTP/1.1\r\nHost: %s\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n", socket.getInetAddress().getHostAddress(),
                Base64.getEncoder().encodeToString(nonce)).getBytes(StandardCharsets.US_ASCII));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
        return in;
    }

    /** One masked (all-zero key) text frame; synchronized because the reader thread acknowledges marks. */
    private static void send(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(0x81);
            if (payload.length < 126) {
                out.write(0x80 | payload.length);
            } else {
                out.write(0x80 | 126);
                out.write(payload.length >> 8);
                out.write(payload.length & 0xFF);
            }
            out.write(new byte[4]);
            out.write(payload);
            out.flush();
        }
    }

    /** Sends one frame every 20 ms of wall-clock time, whatever the caller is doing. */
    private final class Pacer {
        private final OutputStream out;
        private final long start = System.nanoTime();
        private final byte[] silence = new byte[FRAME];
        private long frames;

        Pacer(OutputStream out) {
            this.out = out;
            Arrays.fill(silence, SILENCE);
        }

        long now() {
            return System.nanoTime();
        }

        void say(byte[] mulaw) throws IOException, InterruptedException {
            for (int offset = 0; offset < mulaw.length && !closed; offset += FRAME) {
                byte[] frame = Arrays.copyOfRange(mulaw, offset, offset + FRAME);
                if (offset + FRAME > mulaw.length) {
                    Arrays.fill(frame, mulaw.length - offset, FRAME, SILENCE);
                }
                next(frame);
            }
        }

        void silence() throws IOException, InterruptedException {
            next(silence);
        }

        private void next(byte[] frame) throws IOException, InterruptedException {
            long due = start + frames * 20_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            frames++;
            if (!closed) {
                send(out, TwilioMessages.media(callId, frames, Base64.getEncoder().encodeToString(frame)));
            }
        }
    }
}
