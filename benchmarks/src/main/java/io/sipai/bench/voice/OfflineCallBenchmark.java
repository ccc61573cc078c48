package io.sipai.bench.voice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.config.ToolDefinition;
import io.sipai.config.ToolKind;
import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.codec.Resampler;
import io.sipai.edge.tts.MaryEngine;
import io.sipai.events.CallEvent;
import io.sipai.events.TurnMetrics;
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
 * Turn latency and CPU of the offline defaults (Sphinx grammar recognizer, scripted brain, MaryTTS) on a running
 * realtime-edge: N callers at once each play the booking call over Twilio Media Streams in real time (greeting, "I
 * would like to book an appointment", "tomorrow at ten", "yes", HTTP tool on a loopback receiver, goodbye), with the
 * caller's voice synthesized by MaryTTS here. Reports the edge's own {@code TurnMetrics} read back from
 * {@code call.events.v1} (speech end to final transcript, brain first token, TTS first byte, voice-to-voice), the
 * voice-to-voice the caller hears (last speech frame sent to first agent audio received, which adds the VAD's end
 * of turn), and the edge's CPU per call from {@code /proc}. One unmeasured call runs first (grammar decoder load,
 * JIT).
 *
 * <p>Args: {@code --url ws://127.0.0.1:18081 --bootstrap host:port --calls 4 --rounds 2 --server-pid P}; the edge
 * needs {@code TELEPHONY_TOKEN_SECRET=bench-telephony-secret-000000001} and {@code WEBHOOK_ALLOWED_HOSTS=127.0.0.1}
 * (the tool receiver is on loopback).
 */
public final class OfflineCallBenchmark {

    static final String TENANT = "bench";
    private static final String SCRIPT = """
            {"greeting": "Hello, this is the clinic. How can I help you?",
             "slots": {"day": {"values": ["today", "tomorrow", "monday", "friday"]},
                       "hour": {"values": ["nine", "ten", "eleven", "noon"]}},
             "start": "main",
             "states": {
               "main": {"intents": [{"name": "book", "phrases": ["i would like to book an appointment"],
                        "reply": "Sure. What day and time would suit you?", "goto": "when"}]},
               "when": {"intents": [{"name": "time", "patterns": ["{day} at {hour}"],
                        "reply": "So {day} at {hour}. Shall I book it?", "goto": "confirm"}]},
               "confirm": {"intents": [{"name": "yes", "phrases": ["yes", "yeah"],
                        "tool": {"name": "book_appointment", "arguments": {"day": "{day}", "hour": "{hour}"}},
                        "reply": "You are booked for {day} at {hour}. Your reference is {reference}. Goodbye.",
                        "end": true}]}},
             "global": [{"name": "bye", "phrases": ["goodbye"], "reply": "Goodbye.", "end": true}]}""";

    private final Map<String, String> args;

    private OfflineCallBenchmark(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        new OfflineCallBenchmark(args).run();
        System.exit(0);
    }

    private void run() throws Exception {
        URI stream = URI.create(args.getOrDefault("url", "ws://127.0.0.1:18081") + "/telephony/twilio/stream");
        String bootstrap = args.getOrDefault("bootstrap", "127.0.0.1:9092");
        int calls = Integer.parseInt(args.getOrDefault("calls", "1"));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "1"));
        String secret = args.getOrDefault("token-secret", "bench-telephony-secret-000000001");
        String pid = args.get("server-pid");
        List<byte[]> phrases = synthesizeCallerPhrases();
        HttpServer receiver = toolReceiver();
        String agentId = "offline-bench-" + System.nanoTime();
        publishAgent(bootstrap, agentId, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/book");
        TimeUnit.SECONDS.sleep(3);
        // One unmeasured call first: loads the agent's grammar decoder and JIT-compiles the pipeline.
        new TwilioCaller(stream, "offline-warmup-" + System.nanoTime(), TENANT, agentId, secret).play(phrases);
        Histogram heard = new Histogram(3);
        Set<String> callIds = ConcurrentHashMap.newKeySet();
        double cpuStart = pid == null ? 0 : cpuSeconds(pid);
        long wallStart = System.nanoTime();
        int failed = 0;
        for (int round = 0; round < rounds; round++) {
            List<Thread> threads = new ArrayList<>();
            List<TwilioCaller> callers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String callId = "offline-" + round + "-" + i + "-" + System.nanoTime();
                callIds.add(callId);
                TwilioCaller caller = new TwilioCaller(stream, callId, TENANT, agentId, secret);
                callers.add(caller);
                threads.add(Thread.ofVirtual().start(() -> caller.play(phrases)));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            for (TwilioCaller caller : callers) {
                caller.turnLatencies().forEach(heard::recordValue);
                failed += caller.completed() ? 0 : 1;
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double cpu = pid == null ? 0 : cpuSeconds(pid) - cpuStart;
        receiver.stop(0);
        report(calls, rounds, failed, wall, cpu, heard, turnMetrics(bootstrap, callIds));
    }

    private static void report(int calls, int rounds, int failed, double wall, double cpu, Histogram heard,
                               List<TurnMetrics> metrics) {
        System.out.printf(Locale.ROOT, "calls=%d at once x %d rounds, %d did not complete, wall %.1f s%n", calls,
                rounds, failed, wall);
        print("caller-heard voice-to-voice (last speech frame sent -> first agent audio received)", heard);
        print("edge voice-to-voice (TurnMetrics)", histogram(metrics, TurnMetrics::getVoiceToVoiceMs));
        print("edge speech end -> final transcript (Sphinx)", histogram(metrics, TurnMetrics::getAsrFinalMs));
        print("edge brain first token (scripted)", histogram(metrics, TurnMetrics::getLlmFirstTokenMs));
        print("edge TTS first byte (MaryTTS)", histogram(metrics, TurnMetrics::getTtsFirstByteMs));
        if (cpu > 0) {
            System.out.printf(Locale.ROOT, "edge CPU %.1f s over %.1f s = %.2f cores, %.1f %% of a core per live "
                    + "call, %.2f CPU-seconds per call%n", cpu, wall, cpu / wall, 100 * cpu / wall / calls,
                    cpu / (calls * (double) rounds));
        }
    }

    private static Histogram histogram(List<TurnMetrics> metrics,
                                       java.util.function.Function<TurnMetrics, Long> field) {
        Histogram h = new Histogram(3);
        metrics.stream().map(field).filter(v -> v != null && v >= 0).forEach(v -> h.recordValue(v * 1000));
        return h;
    }

    private static void print(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "%s: n=%d p50=%.0f ms p99=%.0f ms max=%.0f ms%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** The caller's three phrases as 8 kHz mu-law, synthesized by the same offline TTS the edge uses. */
    private static List<byte[]> synthesizeCallerPhrases() throws Exception {
        try (MaryEngine mary = new MaryEngine(1)) {
            List<byte[]> phrases = new ArrayList<>();
            for (String text : List.of("I would like to book an appointment", "tomorrow at ten", "yes")) {
                short[] pcm16k = mary.synthesize(text, null);
                Resampler down = new Resampler(16_000, 8_000);
                short[] pcm8k = new short[down.maxOutput(pcm16k.length)];
                int n = down.resample(pcm16k, pcm16k.length, pcm8k);
                byte[] mulaw = new byte[n];
                MuLaw.encode(pcm8k, n, mulaw);
                phrases.add(mulaw);
            }
            return phrases;
        }
    }

    private static HttpServer toolReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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

    private static void publishAgent(String bootstrap, String agentId, String toolUrl) throws Exception {
        ProviderSettings offline = ProviderSettings.newBuilder().setProvider("offline").build();
        AgentConfig agent = AgentConfig.newBuilder().setAgentId(agentId).setTenantId(TENANT).setVersion(1)
                .setUpdatedAt(Instant.now()).setName("offline booking benchmark").setAsr(offline).setLlm(offline)
                .setTts(offline).setTools(List.of(ToolDefinition.newBuilder().setName("book_appointment")
                        .setDescription("Books an appointment").setParametersJsonSchema("{\"type\":\"object\"}")
                        .setKind(ToolKind.HTTP).setUrl(toolUrl).setTimeoutMs(3000).build()))
                .setBargeIn(BargeInSettings.newBuilder().build())
                .setEndpointing(EndpointingSettings.newBuilder().build()).setScriptJson(SCRIPT).build();
        try (KafkaProducer<String, AgentConfig> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                Topics.AGENT_CONFIG.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.AGENT_CONFIG.name(), agentId, agent)).get();
        }
    }

    /** Every TurnMetrics the edge published for these calls. */
    private static List<TurnMetrics> turnMetrics(String bootstrap, Set<String> callIds) {
        List<TurnMetrics> found = new ArrayList<>();
        try (KafkaConsumer<String, CallEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
                "offline-bench-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), Topics.CALL_EVENTS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.CALL_EVENTS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && empty < 3) {
                var records = consumer.poll(Duration.ofSeconds(2));
                empty = records.isEmpty() && !found.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, CallEvent> record : records) {
                    if (callIds.contains(record.key()) && record.value().getPayload() instanceof TurnMetrics m) {
                        found.add(m);
                    }
                }
            }
        }
        return found;
    }

    private static double cpuSeconds(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }
}
