package io.sipai.bench.voice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.config.AgentConfig;
import io.sipai.config.ToolDefinition;
import io.sipai.config.ToolKind;
import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.codec.Resampler;
import io.sipai.edge.tts.MaryEngine;
import io.sipai.events.CallEvent;
import io.sipai.events.TurnMetrics;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.schemas.Topics;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the call benchmarks share: their arguments, the caller's voice (synthesized by the edge's offline TTS), the
 * loopback receiver of the agent's HTTP tool, the agent published to {@code agent.config.v1}, the edge's
 * {@code TurnMetrics} read back, and the CPU and memory of the processes under test from {@code /proc}.
 */
final class CallBench {

    static final String TENANT = "bench";
    /** Below this level (dBFS) a 20 ms frame of a synthesized phrase counts as silence when trimming. */
    private static final double SILENCE_DB = -45;

    private CallBench() {
    }

    /** Waits {@code ms} as a caller would (pacing, ramps, start offsets); an interrupt ends the wait early. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, String> args(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        return args;
    }

    /**
     * The caller's phrases as 8 kHz mu-law, synthesized by the offline TTS the edge uses; with {@code trim}, without
     * their leading and trailing silence, so that the last frame sent is the last frame of speech.
     */
    static List<byte[]> phrases(List<String> texts, boolean trim) throws Exception {
        try (MaryEngine mary = new MaryEngine(1)) {
            List<byte[]> phrases = new ArrayList<>();
            for (String text : texts) {
                short[] pcm16k = mary.synthesize(text, null);
                Resampler down = new Resampler(16_000, 8_000);
                short[] pcm8k = new short[down.maxOutput(pcm16k.length)];
                int n = down.resample(pcm16k, pcm16k.length, pcm8k);
                int from = 0;
                int to = n;
                if (trim) {
                    while (from + 160 <= to && level(pcm8k, from) < SILENCE_DB) {
                        from += 160;
                    }
                    while (to - 160 >= from && level(pcm8k, to - 160) < SILENCE_DB) {
                        to -= 160;
                    }
                }
                short[] speech = java.util.Arrays.copyOfRange(pcm8k, from, to);
                byte[] mulaw = new byte[speech.length];
                MuLaw.encode(speech, speech.length, mulaw);
                phrases.add(mulaw);
            }
            return phrases;
        }
    }

    private static double level(short[] pcm, int from) {
        return io.sipai.edge.vad.EnergyVad.levelDb(java.util.Arrays.copyOfRange(pcm, from, from + 160), 160);
    }

    /** The agent's HTTP tool: answers {@code POST /book} with a booking reference. */
    static HttpServer toolReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1_000);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/book", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "{\"reference\":\"A12\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    static ToolDefinition bookingTool(String url) {
        return ToolDefinition.newBuilder().setName("book_appointment").setDescription("Books an appointment")
                .setParametersJsonSchema("{\"type\":\"object\"}").setKind(ToolKind.HTTP).setUrl(url)
                .setTimeoutMs(3000).build();
    }

    static void publish(String bootstrap, AgentConfig agent) throws Exception {
        try (KafkaProducer<String, AgentConfig> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                Topics.AGENT_CONFIG.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.AGENT_CONFIG.name(), agent.getAgentId(), agent)).get();
        }
    }

    /** Every TurnMetrics the edge published for these calls. */
    static List<TurnMetrics> turnMetrics(String bootstrap, Set<String> callIds) {
        return payloads(bootstrap, callIds, TurnMetrics.class);
    }

    /** Every event payload of {@code type} the edge published for these calls. */
    static <T> List<T> payloads(String bootstrap, Set<String> callIds, Class<T> type) {
        return payloadsByCall(bootstrap, callIds, type).values().stream().flatMap(List::stream).toList();
    }

    /** As {@link #payloads}, per callId in the order published. */
    static <T> Map<String, List<T>> payloadsByCall(String bootstrap, Set<String> callIds, Class<T> type) {
        Map<String, List<T>> found = new HashMap<>();
        try (KafkaConsumer<String, CallEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
                "call-bench-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), Topics.CALL_EVENTS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.CALL_EVENTS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && empty < 3) {
                var records = consumer.poll(Duration.ofSeconds(2));
                empty = records.isEmpty() && !found.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, CallEvent> record : records) {
                    if (callIds.contains(record.key()) && type.isInstance(record.value().getPayload())) {
                        found.computeIfAbsent(record.key(), id -> new ArrayList<>())
                                .add(type.cast(record.value().getPayload()));
                    }
                }
            }
        }
        return found;
    }

    static Histogram histogram(List<TurnMetrics> metrics, Function<TurnMetrics, Long> field) {
        Histogram h = new Histogram(3);
        metrics.stream().map(field).filter(v -> v != null && v >= 0).forEach(v -> h.recordValue(v * 1000));
        return h;
    }

    /** Prints a histogram of microseconds in milliseconds. */
    static void print(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** User plus system CPU seconds of a process so far. */
    static double cpuSeconds(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** Resident memory of a process, in MiB. */
    static double rssMib(String pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", pid, "status"), StandardCharsets.US_ASCII).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElse(0) / 1024.0;
    }

    /** An admission client as the api-gateway's, on {@code bootstrap}. */
    static AdmissionClient admission(String bootstrap, String name) {
        return new AdmissionClient(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), name,
                Duration.ofSeconds(10), "--admission", Clock.systemUTC());
    }

    /** Takes the call's slot as the api-gateway does for a Twilio call before its media connects. */
    static void admit(AdmissionClient admission, String callId, String agentId) {
        admission.acquireAndWait(new AdmissionClient.CallSlot(callId, TENANT, null, agentId, EventSource.API_GATEWAY),
                CallDirection.INBOUND, Transport.TWILIO);
    }
}
