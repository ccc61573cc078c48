package io.sipai.bench.edge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sipai.schemas.telephony.TelephonyToken;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load generator for realtime-edge: opens N concurrent Twilio Media Streams calls (connected, start with a per-call
 * token, then 50 {@code media} messages/s each, 160 mu-law bytes) against a running edge whose sessions echo, and
 * measures the echo round trip per frame (HdrHistogram), lost frames, and, from the edge's {@code /metrics} and
 * {@code /proc}, the server's frame handling percentiles, heap per call and CPU per call.
 *
 * <p>Args: {@code --url ws://127.0.0.1:8081 --calls 1000 --seconds 60 --ramp-seconds 10 --token-secret S
 * [--server-pid P]}.
 */
public final class TwilioLoadGenerator {

    private final Map<String, String> args;
    private final Recorder rtt = new Recorder(3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong echoed = new AtomicLong();
    private final String[] payloads = new String[50];

    private TwilioLoadGenerator(Map<String, String> args) {
        this.args = args;
        for (int f = 0; f < payloads.length; f++) {
            byte[] frame = new byte[160];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = mulaw((short) (6000 * Math.sin(2 * Math.PI * 440 * (f * 160 + i) / 8000.0)));
            }
            payloads[f] = Base64.getEncoder().encodeToString(frame);
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        new TwilioLoadGenerator(args).run();
    }

    private void run() throws Exception {
        String url = args.getOrDefault("url", "ws://127.0.0.1:8081");
        int calls = Integer.parseInt(args.getOrDefault("calls", "100"));
        int seconds = Integer.parseInt(args.getOrDefault("seconds", "30"));
        int rampSeconds = Integer.parseInt(args.getOrDefault("ramp-seconds", "10"));
        String secret = args.getOrDefault("token-secret", "bench-telephony-secret-000000001");
        String pid = args.get("server-pid");
        long heapBefore = pid == null ? -1 : heapAfterGc(pid, url);
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
        List<Call> live = new ArrayList<>();
        long rampPause = rampSeconds * 1000L / Math.max(1, calls);
        for (int i = 0; i < calls; i++) {
            Call call = new Call("bench-" + i + "-" + System.nanoTime(), http, url, secret);
            live.add(call);
            call.schedule(ticker, i % 20);
            TimeUnit.MILLISECONDS.sleep(rampPause);
        }
        System.out.printf(Locale.ROOT, "%d calls open; measuring %d s%n", calls, seconds);
        rtt.getIntervalHistogram();
        long sentAtStart = sent.get();
        long echoedAtStart = echoed.get();
        double cpuStart = pid == null ? 0 : cpuSeconds(pid);
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        double window = (System.nanoTime() - start) / 1e9;
        double cpu = pid == null ? 0 : cpuSeconds(pid) - cpuStart;
        Histogram rtts = rtt.getIntervalHistogram();
        long sentInWindow = sent.get() - sentAtStart;
        long echoedInWindow = echoed.get() - echoedAtStart;
        long heapDuring = pid == null ? -1 : heapAfterGc(pid, url);
        String frameHandling = scrape(url, "edge_frame_handling_seconds");
        live.forEach(Call::stop);
        TimeUnit.SECONDS.sleep(3);
        long lost = live.stream().mapToLong(Call::lost).sum();
        report(calls, window, sentInWindow, echoedInWindow, rtts, lost, heapBefore, heapDuring, cpu, frameHandling);
        ticker.shutdownNow();
        System.exit(0);
    }

    private void report(int calls, double window, long sentInWindow, long echoedInWindow, Histogram rtts, long lost,
                        long heapBefore, long heapDuring, double cpu, String frameHandling) {
        System.out.printf(Locale.ROOT, "calls=%d window=%.1fs sent=%d (%.0f/s) echoed=%d lost_total=%d%n", calls,
                window, sentInWindow, sentInWindow / window, echoedInWindow, lost);
        System.out.printf(Locale.ROOT, "echo_rtt_ms p50=%.2f p99=%.2f p99.9=%.2f max=%.2f%n",
                rtts.getValueAtPercentile(50) / 1e3, rtts.getValueAtPercentile(99) / 1e3,
                rtts.getValueAtPercentile(99.9) / 1e3, rtts.getMaxValue() / 1e3);
        System.out.println("server frame handling (seconds): " + frameHandling);
        if (heapDuring >= 0) {
            System.out.printf(Locale.ROOT, "heap_after_gc before=%d MiB during=%d MiB per_call=%.1f KiB%n",
                    heapBefore >> 20, heapDuring >> 20, (heapDuring - heapBefore) / 1024.0 / calls);
            System.out.printf(Locale.ROOT, "server_cpu=%.2f cores total, %.3f%% of a core per call%n", cpu / window,
                    100.0 * cpu / window / calls);
        }
    }

    /** Runs a full GC in the server (jcmd) and reads its heap in use from /metrics. */
    private static long heapAfterGc(String pid, String url) throws IOException, InterruptedException {
        new ProcessBuilder("jcmd", pid, "GC.run").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        long sum = 0;
        for (String line : scrape(url, "jvm_memory_used_bytes{area=\"heap\"").split("\n")) {
            if (!line.isBlank()) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static double cpuSeconds(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static String scrape(String wsUrl, String prefix) {
        String metrics = wsUrl.replaceFirst("^ws", "http") + "/metrics";
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create(metrics)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            StringBuilder out = new StringBuilder();
            body.lines().filter(l -> l.startsWith(prefix)).forEach(l -> out.append(l).append('\n'));
            return out.toString();
        } catch (IOException | InterruptedException e) {
            return "unavailable: " + e;
        }
    }

    private static String token(String secret, String callId, String tenant, long exp) {
        return new TelephonyToken(secret).mint(callId, tenant, Instant.ofEpochSecond(exp));
    }

    private static byte mulaw(short sample) {
        int sign = sample < 0 ? 0x80 : 0;
        int s = Math.min(Math.abs((int) sample), 32635) + 0x84;
        int exp = 7;
        for (int mask = 0x4000; exp > 0 && (s & mask) == 0; mask >>= 1) {
            exp--;
        }
        return (byte) (~(sign | (exp << 4) | ((s >> (exp + 3)) & 0x0F)) & 0xFF);
    }

    /** One simulated Twilio call. */
    private final class Call implements WebSocket.Listener {
        private final String callId;
        private final WebSocket socket;
        private final long[] sentAt = new long[1 << 16];
        private final StringBuilder text = new StringBuilder();
        private CompletableFuture<WebSocket> last;
        private ScheduledFuture<?> task;
        private int chunk;
        private long echoes;

        Call(String callId, HttpClient http, String url, String secret) {
            this.callId = callId;
            this.socket = http.newWebSocketBuilder().buildAsync(URI.create(url + "/telephony/twilio/stream"), this)
                    .join();
            String sid = "MZ" + callId;
            last = socket.sendText("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}", true)
                    .thenCompose(ws -> ws.sendText("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{"
                            + "\"streamSid\":\"" + sid + "\",\"customParameters\":{\"callId\":\"" + callId
                            + "\",\"tenantId\":\"bench\",\"token\":\"" + token(secret, callId, "bench",
                            Instant.now().plusSeconds(600).getEpochSecond()) + "\"}},\"streamSid\":\"" + sid
                            + "\"}", true));
        }

        void schedule(ScheduledExecutorService ticker, int offsetMs) {
            task = ticker.scheduleAtFixedRate(this::sendFrame, offsetMs, 20, TimeUnit.MILLISECONDS);
        }

        private synchronized void sendFrame() {
            chunk++;
            sentAt[chunk & 0xFFFF] = System.nanoTime();
            String msg = "{\"event\":\"media\",\"sequenceNumber\":\"" + (chunk + 1) + "\",\"media\":{\"track\":"
                    + "\"inbound\",\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + chunk * 20 + "\",\"payload\":\""
                    + payloads[chunk % payloads.length] + "\"},\"streamSid\":\"MZ" + callId + "\"}";
            last = last.thenCompose(ws -> ws.sendText(msg, true));
            sent.incrementAndGet();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean isLast) {
            text.append(data);
            if (isLast) {
                if (text.indexOf("\"media\"") > 0) {
                    long now = System.nanoTime();
                    synchronized (this) {
                        echoes++;
                        // The first inbound frame leaves the 16 kHz framer one sample short, so echo n answers
                        // inbound frame n + 1.
                        long sentNanos = sentAt[(int) ((echoes + 1) & 0xFFFF)];
                        rtt.recordValue(Math.max(0, (now - sentNanos) / 1000));
                    }
                    echoed.incrementAndGet();
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void stop() {
            task.cancel(false);
        }

        synchronized long lost() {
            return Math.max(0, chunk - 1 - echoes);
        }
    }
}
