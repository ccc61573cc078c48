package io.sipai.edge.pipeline.warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.asr.TranscriptListener;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.tts.TextToSpeech;

/**
 * In-process vendors with fixed latencies, for driving the real pipeline without the network: a recognizer that
 * answers a turn end with a final transcript after {@code asrMs}, a brain that streams a two-sentence reply whose
 * first token comes after {@code llmMs}, and a synthesizer that delivers {@code sentenceAudioMs} of audio per
 * sentence, the first chunk after {@code ttsMs}. The edge warms up with them ({@link PipelineWarmUp}, no latency);
 * the pipeline benchmark measures the platform's overhead against them.
 */
public final class StandInVendors {

    private static final String REPLY_1 = "Sure, I can help with that.";
    private static final String REPLY_2 = "What day and time would suit you best?";
    private static final int CHUNK_SAMPLES = 1_600;

    private final ScheduledExecutorService timers;
    private final int asrMs;
    private final int llmMs;
    private final int ttsMs;
    private final int chunksPerSentence;

    public StandInVendors(ScheduledExecutorService timers, int asrMs, int llmMs, int ttsMs, int sentenceAudioMs) {
        this.timers = timers;
        this.asrMs = asrMs;
        this.llmMs = llmMs;
        this.ttsMs = ttsMs;
        this.chunksPerSentence = Math.max(1, sentenceAudioMs / 100);
    }

    /** The latency the vendors add to a turn: what the platform's own time is measured against. */
    public int totalMs() {
        return asrMs + llmMs + ttsMs;
    }

    public SpeechToText stt() {
        return new SpeechToText() {
            @Override
            public String engine() {
                return "stand-in";
            }

            @Override
            public Stream open(String callId, TranscriptListener listener) {
                return new Stream() {
                    @Override
                    public void audio(short[] frame, int length, long offsetMs) {
                        // The stand-in ignores audio; the pipeline still receives every frame.
                    }

                    @Override
                    public void endOfTurn(long startMs, long endMs) {
                        timers.schedule(() -> listener.fin("i would like to book an appointment", 0.9f, startMs,
                                endMs, true), asrMs, TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    public AgentBrain brain() {
        return new AgentBrain() {
            @Override
            public String name() {
                return "stand-in";
            }

            @Override
            public Conversation start(CallContext context) {
                return (input, listener) -> {
                    AtomicBoolean cancelled = new AtomicBoolean();
                    if (input instanceof BrainInput.Start) {
                        listener.done(false);
                        return () -> cancelled.set(true);
                    }
                    timers.schedule(() -> {
                        if (!cancelled.get()) {
                            listener.text(REPLY_1 + " ");
                            listener.text(REPLY_2);
                            listener.done(false);
                        }
                    }, llmMs, TimeUnit.MILLISECONDS);
                    return () -> cancelled.set(true);
                };
            }
        };
    }

    public TextToSpeech tts() {
        return new TextToSpeech() {
            @Override
            public String name() {
                return "stand-in";
            }

            @Override
            public Stream open(String callId, String voice, AudioListener listener) {
                short[] chunk = new short[CHUNK_SAMPLES];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (short) (3000 * Math.sin(i * 0.1));
                }
                AtomicBoolean cleared = new AtomicBoolean();
                return new Stream() {
                    /** A call's sentences are spoken one after another, in order, as the real engines do. */
                    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

                    @Override
                    public synchronized void speak(String sentenceId, String text) {
                        cleared.set(false);
                        tail = tail.exceptionally(failed -> null).thenRunAsync(() -> {
                            for (int i = 0; i < chunksPerSentence && !cleared.get(); i++) {
                                listener.audio(sentenceId, chunk, chunk.length);
                            }
                            if (!cleared.get()) {
                                listener.done(sentenceId);
                            }
                        }, CompletableFuture.delayedExecutor(ttsMs, TimeUnit.MILLISECONDS, timers));
                    }

                    @Override
                    public void clear() {
                        cleared.set(true);
                    }

                    @Override
                    public void close() {
                        cleared.set(true);
                    }
                };
            }
        };
    }
}
