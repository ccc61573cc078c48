package io.sipai.bench.voice;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import io.sipai.bench.voice.vendors.VendorStandIns;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.events.ToolCallCompleted;
import io.sipai.events.TurnMetrics;
import io.sipai.runtime.admission.AdmissionClient;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Full-pipeline calls measured on the wire: N callers at once over Twilio Media Streams against a running
 * realtime-edge (its packaged jar) whose agent uses Deepgram speech-to-text, an OpenAI-compatible brain with an HTTP
 * tool, and Deepgram Aura TTS, all served by {@link VendorStandIns} in their own process with fixed latencies. Each
 * caller says four phrases (synthesized, silence trimmed): the first makes the brain call the tool, and the fourth
 * cuts the third reply short 300 ms in (a barge-in). Reported, at the caller: voice-to-voice (last speech frame sent
 * to first agent audio received) and the platform's share of it, which is voice-to-voice minus the end-of-turn
 * silence ({@code --hangover-ms}) and the vendors' configured latencies (twice the brain's for the tool turn, whose
 * reply takes two completions); the barge-in reaction (first speech frame to the edge's {@code clear}) minus the
 * agent's 200 ms minimum barge-in speech; agent audio received against what the TTS produced for replies heard to
 * the end (lost audio). From {@code /proc}: CPU of each process given and the edge's resident memory.
 *
 * <p>Args: {@code --url ws://127.0.0.1:18081 --bootstrap host:port --calls 100 --ramp-ms 20 --asr-ms 150
 * --llm-ms 300 --tts-ms 100 --hangover-ms 700 --edge-pid P --vendors-pid P --broker-pid P}; the vendor latencies
 * must be the ones {@link VendorStandIns} runs with.
 */
public final class WireCallBenchmark {

    private static final List<String> PHRASES = VendorStandIns.TRANSCRIPTS;
    private static final int BARGE_IN_MIN_SPEECH_MS = 200;
    private static final String GREETING = "Hello, this is the clinic. How can I help you?";

    private final Map<String, String> args;

    private WireCallBenchmark(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new WireCallBenchmark(CallBench.args(argv)).run();
        System.exit(0);
    }

    private int arg(String name, int otherwise) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(otherwise)));
    }

    private void run() throws Exception {
        URI stream = URI.create(args.getOrDefault("url", "ws://127.0.0.1:18081") + "/telephony/twilio/stream");
        String bootstrap = args.getOrDefault("bootstrap", "127.0.0.1:9092");
        int calls = arg("calls", 10);
        int rampMs = arg("ramp-ms", 20);
        String secret = args.getOrDefault("token-secret", "bench-telephony-secret-000000001");
        List<byte[]> phrases = CallBench.phrases(PHRASES, true);
        HttpServer receiver = CallBench.toolReceiver();
        String agentId = "wire-bench-" + System.nanoTime();
        publishAgent(bootstrap, agentId, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/book");
        Thread.sleep(3_000);
        int warmUp = arg("warmup-calls", 10);
        System.out.printf(Locale.ROOT, "warm-up: %d calls (unmeasured)%n", warmUp);
        try (AdmissionClient admission = CallBench.admission(bootstrap, "wire-bench")) {
            Calls callsRun = new Calls(stream, secret, agentId, phrases, admission, rampMs);
            callsRun.run(warmUp, "wire-warmup-");
            measure(bootstrap, calls, callsRun);
        }
        receiver.stop(0);
    }

    private void measure(String bootstrap, int calls, Calls callsRun) throws Exception {
        Processes processes = new Processes(args);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Double> peakRss = new AtomicReference<>(processes.edgeRss());
        double idleRss = peakRss.get();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                peakRss.accumulateAndGet(processes.edgeRss(), Math::max);
                CallBench.sleep(1_000);
            }
        });
        processes.start();
        long wallStart = System.nanoTime();
        Map<String, TwilioCaller> measured = callsRun.run(calls, "wire-");
        double wall = (System.nanoTime() - wallStart) / 1e9;
        running.set(false);
        sampler.join();
        report(calls, wall, measured);
        System.out.printf(Locale.ROOT, "edge resident memory: %.0f MiB idle, %.0f MiB peak, %.2f MiB per call%n",
                idleRss, peakRss.get(), (peakRss.get() - idleRss) / calls);
        processes.report(wall, calls);
        List<TurnMetrics> metrics = CallBench.turnMetrics(bootstrap, measured.keySet());
        CallBench.print("edge voice-to-voice (TurnMetrics, from the VAD's speech end)",
                CallBench.histogram(metrics, TurnMetrics::getVoiceToVoiceMs));
        Histogram tools = new Histogram(3);
        CallBench.payloads(bootstrap, measured.keySet(), ToolCallCompleted.class)
                .forEach(t -> tools.recordValue(t.getDurationMs() * 1000));
        CallBench.print("edge tool calls (HTTP on loopback)", tools);
        for (int turn = 1; turn <= PHRASES.size(); turn++) {
            int n = turn;
            List<TurnMetrics> of = metrics.stream().filter(m -> m.getTurn() == n).toList();
            Histogram asr = CallBench.histogram(of, TurnMetrics::getAsrFinalMs);
            Histogram llm = CallBench.histogram(of, TurnMetrics::getLlmFirstTokenMs);
            Histogram tts = CallBench.histogram(of, TurnMetrics::getTtsFirstByteMs);
            System.out.printf(Locale.ROOT, "  edge turn %d: final transcript p50/p99 %.0f/%.0f ms, brain first "
                    + "token %.0f/%.0f ms, TTS first byte %.0f/%.0f ms%n", turn, asr.getValueAtPercentile(50) / 1e3,
                    asr.getValueAtPercentile(99) / 1e3, llm.getValueAtPercentile(50) / 1e3,
                    llm.getValueAtPercentile(99) / 1e3, tts.getValueAtPercentile(50) / 1e3,
                    tts.getValueAtPercentile(99) / 1e3);
        }
    }

    /**
     * Starts calls as the api-gateway would for Twilio: a slot from admission (the edge heartbeats and releases it),
     * then the caller's media stream; one call every {@code rampMs}.
     */
    private record Calls(URI stream, String secret, String agentId, List<byte[]> phrases, AdmissionClient admission,
                         int rampMs) {

        Map<String, TwilioCaller> run(int calls, String prefix) throws InterruptedException {
            Map<String, TwilioCaller> callers = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String callId = prefix + i + "-" + System.nanoTime();
                TwilioCaller caller = new TwilioCaller(stream, callId, CallBench.TENANT, agentId, secret,
                        new TwilioCaller.Behaviour(3, true));
                callers.put(callId, caller);
                threads.add(Thread.ofVirtual().start(() -> {
                    CallBench.admit(admission, callId, agentId);
                    caller.play(phrases);
                }));
                CallBench.sleep(rampMs);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            return callers;
        }
    }

    private void report(int calls, double wall, Map<String, TwilioCaller> callers) {
        int hangover = arg("hangover-ms", 700);
        int asr = arg("asr-ms", 150);
        int llm = arg("llm-ms", 300);
        int tts = arg("tts-ms", 100);
        Histogram v2v = new Histogram(3);
        Histogram platform = new Histogram(3);
        Histogram bargeIn = new Histogram(3);
        long expectedMs = 0;
        long receivedMs = 0;
        int shortTurns = 0;
        int unanswered = 0;
        for (TwilioCaller caller : callers.values()) {
            for (TwilioCaller.Turn turn : caller.turns()) {
                if (turn.voiceToVoiceMicros() < 0) {
                    unanswered++;
                    continue;
                }
                long vendors = asr + tts + llm * (VendorStandIns.toolTurn(turn.phrase()) ? 2L : 1L);
                v2v.recordValue(turn.voiceToVoiceMicros());
                platform.recordValue(Math.max(0, turn.voiceToVoiceMicros() - (hangover + vendors) * 1000));
                if (turn.bargeInMicros() >= 0) {
                    bargeIn.recordValue(Math.max(0, turn.bargeInMicros() - BARGE_IN_MIN_SPEECH_MS * 1000L));
                }
                if (!turn.interrupted()) {
                    long expected = VendorStandIns.replyAudioMs(VendorStandIns.toolTurn(turn.phrase())
                            ? VendorStandIns.BOOKED_REPLY : VendorStandIns.REPLY);
                    expectedMs += expected;
                    receivedMs += Math.min(expected, turn.agentAudioMs());
                    shortTurns += turn.agentAudioMs() + 20 < expected ? 1 : 0;
                }
            }
        }
        printByPhrase(callers, hangover, asr, llm, tts);
        long failed = callers.values().stream().filter(c -> !c.completed()).count();
        System.out.printf(Locale.ROOT, "calls=%d (ramp %s ms), %d did not complete, %d turns unanswered, wall %.1f s; "
                + "vendors asr %d + llm %d + tts %d ms, end-of-turn silence %d ms%n", calls, args.getOrDefault(
                "ramp-ms", "20"), failed, unanswered, wall, asr, llm, tts, hangover);
        CallBench.print("voice-to-voice at the caller (last speech frame sent -> first agent audio received)", v2v);
        CallBench.print("platform time on the wire (voice-to-voice - end-of-turn silence - vendor latencies)",
                platform);
        CallBench.print("barge-in reaction at the caller (speech -> clear, minus the 200 ms minimum speech)",
                bargeIn);
        System.out.printf(Locale.ROOT, "agent audio of replies heard to the end: %d of %d ms received (%.3f %% lost), "
                + "%d replies short by more than 20 ms%n", receivedMs, expectedMs,
                expectedMs == 0 ? 0 : 100.0 * (expectedMs - receivedMs) / expectedMs, shortTurns);
    }

    /** Per phrase: platform time and the agent audio received for the reply to it. */
    private static void printByPhrase(Map<String, TwilioCaller> callers, int hangover, int asr, int llm, int tts) {
        for (int phrase = 0; phrase < PHRASES.size(); phrase++) {
            Histogram platform = new Histogram(3);
            long audio = 0;
            int n = 0;
            for (TwilioCaller caller : callers.values()) {
                for (TwilioCaller.Turn turn : caller.turns()) {
                    if (turn.phrase() == phrase && turn.voiceToVoiceMicros() >= 0) {
                        long vendors = asr + tts + llm * (VendorStandIns.toolTurn(phrase) ? 2L : 1L);
                        platform.recordValue(Math.max(0, turn.voiceToVoiceMicros() - (hangover + vendors) * 1000));
                        audio += turn.agentAudioMs();
                        n++;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "  phrase %d \"%s\": n=%d platform p50=%.1f ms p99=%.1f ms, agent audio "
                    + "received %d ms on average%n", phrase, PHRASES.get(phrase), n,
                    platform.getValueAtPercentile(50) / 1000.0, platform.getValueAtPercentile(99) / 1000.0,
                    n == 0 ? 0 : audio / n);
        }
    }

    private static void publishAgent(String bootstrap, String agentId, String toolUrl) throws Exception {
        ProviderSettings deepgram = ProviderSettings.newBuilder().setProvider("deepgram").build();
        CallBench.publish(bootstrap, AgentConfig.newBuilder().setAgentId(agentId).setTenantId(CallBench.TENANT)
                .setVersion(1).setUpdatedAt(Instant.now()).setName("wire benchmark").setGreeting(GREETING)
                .setSystemPrompt("You book appointments for a clinic.").setAsr(deepgram)
                .setLlm(ProviderSettings.newBuilder().setProvider("openai").setModel("gpt-4o-mini").build())
                .setTts(deepgram).setTools(List.of(CallBench.bookingTool(toolUrl)))
                .setBargeIn(BargeInSettings.newBuilder().build())
                .setEndpointing(EndpointingSettings.newBuilder().build()).build());
    }

    /** The processes under test, by the pids given: their CPU over the measured calls, the edge's memory. */
    private static final class Processes {
        private final Map<String, String> pids = new java.util.LinkedHashMap<>();
        private final Map<String, Double> cpuAtStart = new java.util.HashMap<>();

        Processes(Map<String, String> args) {
            for (String name : List.of("edge", "vendors", "broker", "processors")) {
                if (args.containsKey(name + "-pid")) {
                    pids.put(name, args.get(name + "-pid"));
                }
            }
            pids.put("generator", Long.toString(ProcessHandle.current().pid()));
        }

        void start() throws java.io.IOException {
            for (Map.Entry<String, String> pid : pids.entrySet()) {
                cpuAtStart.put(pid.getKey(), CallBench.cpuSeconds(pid.getValue()));
            }
        }

        double edgeRss() {
            try {
                return pids.containsKey("edge") ? CallBench.rssMib(pids.get("edge")) : 0;
            } catch (java.io.IOException e) {
                return 0;
            }
        }

        void report(double wall, int calls) throws java.io.IOException {
            for (Map.Entry<String, String> pid : pids.entrySet()) {
                double cpu = CallBench.cpuSeconds(pid.getValue()) - cpuAtStart.get(pid.getKey());
                System.out.printf(Locale.ROOT, "%s CPU: %.1f s over %.1f s = %.2f cores (%.2f %% of a core per call)%n",
                        pid.getKey(), cpu, wall, cpu / wall, 100 * cpu / wall / calls);
            }
        }
    }
}
