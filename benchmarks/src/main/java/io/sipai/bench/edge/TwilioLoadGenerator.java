package io.sipai.bench.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sipai.testing.twilio.TwilioMessages;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load generator for realtime-edge: opens N concurrent Twilio Media Streams calls (connected, start with a per-call
 * token, then 50 {@code media} messages/s each, 160 mu-law bytes) against a running edge whose sessions echo, and
 * measures the echo round trip per frame (HdrHistogram), lost frames, and, from the edge's {@code /metrics} and
 * {@code /proc}, the server's frame handling percentiles, heap per call and CPU per call. All sockets run on one
 * thread ({@link RawWebSocket}, about a tenth of the JDK client's CPU per message) so that the generator leaves the
 * cores to the edge; it reports its own CPU and any tick it ran late.
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
        MediaLoop loop = new MediaLoop();
        Thread io = Thread.ofPlatform().name("media-loop").start(loop);
        long rampPause = rampSeconds * 1000L / Math.max(1, calls);
        URI stream = URI.create(url + "/telephony/twilio/stream");
        for (int i = 0; i < calls; i++) {
            loop.add(new Call("bench-" + i + "-" + System.nanoTime(), stream, secret, i % MediaLoop.SLOTS));
            TimeUnit.MILLISECONDS.sleep(rampPause);
        }
        System.out.printf(Locale.ROOT, "%d calls open; measuring %d s%n", calls, seconds);
        rtt.getIntervalHistogram();
        long sentAtStart = sent.get();
        long echoedAtStart = echoed.get();
        double cpuStart = pid == null ? 0 : cpuSeconds(pid);
        double ownCpuStart = cpuSeconds("self");
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        double window = (System.nanoTime() - start) / 1e9;
        double cpu = pid == null ? 0 : cpuSeconds(pid) - cpuStart;
        double ownCpu = cpuSeconds("self") - ownCpuStart;
        Histogram rtts = rtt.getIntervalHistogram();
        long sentInWindow = sent.get() - sentAtStart;
        long echoedInWindow = echoed.get() - echoedAtStart;
        long heapDuring = pid == null ? -1 : heapAfterGc(pid, url);
        String frameHandling = scrape(url, "edge_frame_handling_seconds");
        loop.stopSending();
        TimeUnit.SECONDS.sleep(3);
        long lost = loop.calls().stream().mapToLong(Call::lost).sum();
        report(calls, window, sentInWindow, echoedInWindow, rtts, lost, heapBefore, heapDuring, cpu, frameHandling);
        System.out.printf(Locale.ROOT, "generator_cpu=%.2f cores, late_ticks=%d, send_overflows=%d%n",
                ownCpu / window, loop.lateTicks(), loop.calls().stream().mapToLong(c -> c.socket.overflows()).sum());
        loop.close();
        io.join(5_000);
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
        String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
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


    private static byte mulaw(short sample) {
        int sign = sample < 0 ? 0x80 : 0;
        int s = Math.min(Math.abs((int) sample), 32635) + 0x84;
        int exp = 7;
        for (int mask = 0x4000; exp > 0 && (s & mask) == 0; mask >>= 1) {
            exp--;
        }
        return (byte) (~(sign | (exp << 4) | ((s >> (exp + 3)) & 0x0F)) & 0xFF);
    }

    /**
     * One thread for every call's socket: every millisecond one of 20 slot groups sends its next media frame (so the
     * 50 frames/s of each call are spread evenly), and between ticks the selector reads the echoes.
     */
    private final class MediaLoop implements Runnable {
        static final int SLOTS = 20;
        private final Selector selector;
        private final Queue<Call> joining = new ConcurrentLinkedQueue<>();
        private final List<List<Call>> slots = new ArrayList<>();
        private final List<Call> all = new CopyOnWriteArrayList<>();
        private volatile boolean sending = true;
        private volatile boolean open = true;
        private long lateTicks;

        MediaLoop() throws IOException {
            selector = Selector.open();
            for (int i = 0; i < SLOTS; i++) {
                slots.add(new ArrayList<>());
            }
        }

        void add(Call call) {
            joining.add(call);
            all.add(call);
            selector.wakeup();
        }

        List<Call> calls() {
            return all;
        }

        long lateTicks() {
            return lateTicks;
        }

        void stopSending() {
            sending = false;
        }

        void close() {
            open = false;
            selector.wakeup();
        }

        @Override
        public void run() {
            long tick = System.nanoTime();
            int slot = 0;
            try {
                while (open) {
                    long waitNanos = tick - System.nanoTime();
                    if (waitNanos > 0) {
                        // Rounded up: a sub-millisecond selectNow() loop would spin a core.
                        selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
                    } else {
                        selector.selectNow();
                    }
                    readReady();
                    join();
                    long now = System.nanoTime();
                    while (now >= tick) {
                        if (now - tick > 20_000_000L) {
                            lateTicks++;
                        }
                        if (sending) {
                            for (Call call : slots.get(slot)) {
                                call.sendFrame();
                            }
                        }
                        slot = (slot + 1) % SLOTS;
                        tick += 1_000_000L;
                    }
                }
                all.forEach(call -> call.socket.close());
                selector.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void readReady() throws IOException {
            for (SelectionKey key : selector.selectedKeys()) {
                RawWebSocket socket = (RawWebSocket) key.attachment();
                if (key.isValid() && key.isWritable()) {
                    socket.flush();
                }
                if (key.isValid() && key.isReadable() && !socket.read()) {
                    key.cancel();
                }
            }
            selector.selectedKeys().clear();
        }

        private void join() throws IOException {
            for (Call call = joining.poll(); call != null; call = joining.poll()) {
                call.socket.register(selector);
                call.start();
                slots.get(call.slot).add(call);
            }
        }
    }

    /** One simulated Twilio call; touched only by the media loop once it has joined. */
    private final class Call implements RawWebSocket.TextHandler {
        private static final byte[] MEDIA = "\"media\"".getBytes(StandardCharsets.US_ASCII);
        private final String callId;
        private final String secret;
        private final RawWebSocket socket;
        private final int slot;
        private final long[] sentAt = new long[1 << 10];
        private volatile int chunk;
        private volatile long echoes;

        Call(String callId, URI stream, String secret, int slot) throws IOException {
            this.callId = callId;
            this.secret = secret;
            this.slot = slot;
            this.socket = RawWebSocket.connect(stream, this);
        }

        void start() throws IOException {
            send(TwilioMessages.CONNECTED);
            send(TwilioMessages.start(secret, callId, "bench", null));
        }

        void sendFrame() throws IOException {
            int next = chunk + 1;
            sentAt[next & (sentAt.length - 1)] = System.nanoTime();
            send(TwilioMessages.media(callId, next, payloads[next % payloads.length]));
            chunk = next;
            sent.incrementAndGet();
        }

        private void send(String json) throws IOException {
            socket.sendText(json.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void onText(RawWebSocket webSocket, ByteBuffer payload) {
            if (!contains(payload, MEDIA)) {
                return;
            }
            long now = System.nanoTime();
            long n = echoes + 1;
            // The first inbound frame leaves the 16 kHz framer one sample short, so echo n answers inbound frame
            // n + 1.
            long sentNanos = sentAt[(int) ((n + 1) & (sentAt.length - 1))];
            rtt.recordValue(Math.max(0, (now - sentNanos) / 1000));
            echoes = n;
            echoed.incrementAndGet();
        }

        long lost() {
            return Math.max(0, chunk - 1 - echoes);
        }
    }

    private static boolean contains(ByteBuffer haystack, byte[] needle) {
        int limit = haystack.limit() - needle.length;
        outer:
        for (int i = haystack.position(); i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
