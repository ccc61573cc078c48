package io.sipai.bench.voice;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.events.TurnMetrics;
import io.sipai.runtime.admission.AdmissionClient;
import org.HdrHistogram.Histogram;

/**
 * Turn latency and CPU of the offline defaults (Sphinx grammar recognizer, scripted brain, flite or MaryTTS) on a
 * running realtime-edge: N callers at once, each admitted as the api-gateway admits a Twilio call, play the booking
 * call over Twilio Media Streams in real time (greeting, "I would like to book an appointment", "tomorrow at ten",
 * "yes", HTTP tool on a loopback receiver, goodbye), with the caller's voice synthesized by MaryTTS here. Reports the edge's own {@code TurnMetrics} read back from
 * {@code call.events.v1} (speech end to final transcript, brain first token, TTS first byte, voice-to-voice), the
 * voice-to-voice the caller hears (last speech frame sent to first agent audio received, which adds the VAD's end
 * of turn), and the edge's CPU per call from {@code /proc}. One unmeasured call runs first (grammar decoder load,
 * JIT).
 *
 * <p>Args: {@code --url ws://127.0.0.1:18081 --bootstrap host:port --calls 4 --rounds 2 --server-pid P}, and
 * {@code --pause-ms} for the agent's {@code endpointing.pauseMs} (default 250; 0 measures the fixed end of turn),
 * {@code --stagger-ms} for how far apart a round's calls start (default 0: all at once, so the callers speak in
 * lockstep and end every turn in the same instant; N: each call starts at a uniformly random offset in [0, N), seeded,
 * as independent callers would); a
 * stream-processors on the same broker decides the admissions and the media claims; the edge
 * needs {@code TELEPHONY_TOKEN_SECRET=bench-telephony-secret-000000001} and {@code WEBHOOK_ALLOWED_HOSTS=127.0.0.1}
 * (the tool receiver is on loopback).
 */
public final class OfflineCallBenchmark {

    /** The booking agent's script (also the grammar of {@link SphinxBeamBenchmark}). */
    static final String SCRIPT = """
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
        new OfflineCallBenchmark(CallBench.args(argv)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        URI stream = URI.create(args.getOrDefault("url", "ws://127.0.0.1:18081") + "/telephony/twilio/stream");
        String bootstrap = args.getOrDefault("bootstrap", "127.0.0.1:9092");
        int calls = Integer.parseInt(args.getOrDefault("calls", "1"));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "1"));
        String secret = args.getOrDefault("token-secret", "bench-telephony-secret-000000001");
        String pid = args.get("server-pid");
        // Trimmed: the caller-heard latency starts at the last frame of speech, not of the synthesizer's trailing
        // silence (which the adaptive end of turn no longer waits out).
        List<byte[]> phrases = CallBench.phrases(List.of("I would like to book an appointment", "tomorrow at ten",
                "yes"), true);
        int pauseMs = Integer.parseInt(args.getOrDefault("pause-ms", "250"));
        int staggerMs = Integer.parseInt(args.getOrDefault("stagger-ms", "0"));
        Random offsets = new Random(20_261_206L);
        HttpServer receiver = CallBench.toolReceiver();
        String agentId = "offline-bench-" + System.nanoTime();
        publishAgent(bootstrap, agentId, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/book", pauseMs);
        TimeUnit.SECONDS.sleep(3);
        AdmissionClient admission = CallBench.admission(bootstrap, "offline-bench");
        // One unmeasured call first: loads the agent's grammar decoder and JIT-compiles the pipeline.
        String warmUp = "offline-warmup-" + System.nanoTime();
        CallBench.admit(admission, warmUp, agentId);
        new TwilioCaller(stream, warmUp, CallBench.TENANT, agentId, secret, TwilioCaller.Behaviour.LISTEN)
                .play(phrases);
        Histogram heard = new Histogram(3);
        Set<String> callIds = ConcurrentHashMap.newKeySet();
        double cpuStart = pid == null ? 0 : CallBench.cpuSeconds(pid);
        long wallStart = System.nanoTime();
        int failed = 0;
        List<TwilioCaller> all = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<Thread> threads = new ArrayList<>();
            List<TwilioCaller> callers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String callId = "offline-" + round + "-" + i + "-" + System.nanoTime();
                callIds.add(callId);
                TwilioCaller caller = new TwilioCaller(stream, callId, CallBench.TENANT, agentId, secret,
                        TwilioCaller.Behaviour.LISTEN);
                callers.add(caller);
                long offsetMs = staggerMs == 0 ? 0 : offsets.nextInt(staggerMs);
                threads.add(Thread.ofVirtual().start(() -> {
                    CallBench.sleep(offsetMs);
                    CallBench.admit(admission, callId, agentId);
                    caller.play(phrases);
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            all.addAll(callers);
            for (TwilioCaller caller : callers) {
                caller.turnLatencies().forEach(heard::recordValue);
                failed += caller.completed() ? 0 : 1;
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double cpu = pid == null ? 0 : CallBench.cpuSeconds(pid) - cpuStart;
        receiver.stop(0);
        admission.close();
        report(calls, rounds, failed, wall, cpu, heard, CallBench.turnMetrics(bootstrap, callIds));
        int slowest = Integer.parseInt(args.getOrDefault("slowest", "0"));
        if (slowest > 0) {
            printSlowest(all, CallBench.payloadsByCall(bootstrap, callIds, TurnMetrics.class), slowest);
        }
    }

    /**
     * The {@code count} slowest turns at the caller, each with what the caller saw (replies cleared while it spoke
     * and after) and the edge's own metrics of every turn of that call, to tell where a slow turn's time went.
     */
    private static void printSlowest(List<TwilioCaller> callers, Map<String, List<TurnMetrics>> edge, int count) {
        record Slow(TwilioCaller caller, TwilioCaller.Turn turn) {
        }
        List<Slow> turns = new ArrayList<>();
        callers.forEach(caller -> caller.turns().forEach(turn -> turns.add(new Slow(caller, turn))));
        turns.sort(Comparator.comparingLong((Slow slow) -> slow.turn().voiceToVoiceMicros()).reversed());
        System.out.println("slowest turns at the caller (phrase, caller-heard ms, replies cleared while speaking / "
                + "after; the edge's turns of that call: turn v2v/asr/tts ms):");
        for (Slow slow : turns.subList(0, Math.min(count, turns.size()))) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %s phrase %d: %d ms, cleared %d / %d;",
                    slow.caller().callId(), slow.turn().phrase(), slow.turn().voiceToVoiceMicros() / 1000,
                    slow.turn().clearsWhileSpeaking(), slow.turn().clearsAfter()));
            for (TurnMetrics metrics : edge.getOrDefault(slow.caller().callId(), List.of())) {
                line.append(String.format(Locale.ROOT, " %d: %d/%d/%d", metrics.getTurn(),
                        metrics.getVoiceToVoiceMs(), metrics.getAsrFinalMs(), metrics.getTtsFirstByteMs()));
            }
            System.out.println(line);
        }
    }

    private static void report(int calls, int rounds, int failed, double wall, double cpu, Histogram heard,
                               List<TurnMetrics> metrics) {
        System.out.printf(Locale.ROOT, "calls=%d at once x %d rounds, %d did not complete, wall %.1f s%n", calls,
                rounds, failed, wall);
        CallBench.print("caller-heard voice-to-voice (last speech frame sent -> first agent audio received)", heard);
        CallBench.print("edge voice-to-voice (TurnMetrics)",
                CallBench.histogram(metrics, TurnMetrics::getVoiceToVoiceMs));
        CallBench.print("edge speech end -> final transcript (Sphinx)",
                CallBench.histogram(metrics, TurnMetrics::getAsrFinalMs));
        CallBench.print("edge brain first token (scripted)",
                CallBench.histogram(metrics, TurnMetrics::getLlmFirstTokenMs));
        CallBench.print("edge TTS first byte (offline TTS)",
                CallBench.histogram(metrics, TurnMetrics::getTtsFirstByteMs));
        if (cpu > 0) {
            System.out.printf(Locale.ROOT, "edge CPU %.1f s over %.1f s = %.2f cores, %.1f %% of a core per live "
                    + "call, %.2f CPU-seconds per call%n", cpu, wall, cpu / wall, 100 * cpu / wall / calls,
                    cpu / (calls * (double) rounds));
        }
    }

    private static void publishAgent(String bootstrap, String agentId, String toolUrl, int pauseMs)
            throws Exception {
        ProviderSettings offline = ProviderSettings.newBuilder().setProvider("offline").build();
        CallBench.publish(bootstrap, AgentConfig.newBuilder().setAgentId(agentId).setTenantId(CallBench.TENANT)
                .setVersion(1).setUpdatedAt(Instant.now()).setName("offline booking benchmark").setAsr(offline)
                .setLlm(offline).setTts(offline).setTools(List.of(CallBench.bookingTool(toolUrl)))
                .setBargeIn(BargeInSettings.newBuilder().build())
                .setEndpointing(EndpointingSettings.newBuilder().setPauseMs(pauseMs).build()).setScriptJson(SCRIPT)
                .build());
    }
}
