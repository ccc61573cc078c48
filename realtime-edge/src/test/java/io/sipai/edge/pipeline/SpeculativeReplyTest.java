package io.sipai.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.edge.asr.FakeWsServer;
import io.sipai.edge.asr.internal.DeepgramSpeechToText;
import io.sipai.edge.brain.LoopbackChat;
import io.sipai.edge.brain.internal.OpenAiBrain;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.warmup.StandInVendors;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.tools.ToolRunner;
import io.sipai.edge.tools.WebhookSigner;
import io.sipai.events.AgentUtterance;
import io.sipai.runtime.ssrf.SsrfGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Speculative replies through the real pipeline, with the real Deepgram streaming client against a loopback server
 * speaking {@code /v1/listen} (partials while the caller speaks, each {@code Finalize} answered {@value #FINALIZE_MS}
 * ms later) and the real OpenAI client against a loopback chat completions server: a reply started at a finished
 * pause is the one the caller hears when the final has the same words, and a speculation on words that changed, or
 * that the caller went on from, is never heard and never enters the dialog the model is sent.
 */
class SpeculativeReplyTest {

    private static final long FINALIZE_MS = 300;

    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final ExecutorService actors = Executors.newVirtualThreadPerTaskExecutor();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Queue<String> finals = new ConcurrentLinkedQueue<>();
    private final AtomicLong finalSentNanos = new AtomicLong();
    private final Caller caller = new Caller();
    private FakeWsServer deepgram;
    private LoopbackChat chat;
    private final org.eclipse.jetty.client.HttpClient brainHttp = OpenAiBrain.startClient(Duration.ofSeconds(5));
    private ConversationPipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        deepgram = new FakeWsServer(0);
        deepgram.onText(text -> {
            if (text.contains("\"Finalize\"")) {
                String answer = finals.poll();
                timers.schedule(() -> {
                    finalSentNanos.set(System.nanoTime());
                    deepgram.sendText(answer);
                }, FINALIZE_MS, TimeUnit.MILLISECONDS);
            }
        });
        chat = new LoopbackChat(400, words -> "You said " + words.toLowerCase(Locale.ROOT).replaceAll("[.?]", "")
                + ". Anything else?");
        HttpClient http = HttpClient.newHttpClient();
        CallContext context = new CallContext("call-spec", "acme", null, null, CallDirection.INBOUND,
                Transport.WEBSOCKET, null, null, Map.of(), null);
        PipelineParts parts = new PipelineParts(context,
                new DeepgramSpeechToText(http, deepgram.baseUrl(), "dg-key", "nova-3", 700, Duration.ofSeconds(2)),
                new OpenAiBrain(brainHttp, chat.baseUrl(), "sk-test", "gpt-4o-mini", Duration.ofSeconds(5)),
                new StandInVendors(timers, 0, 0, 0, 200).tts(),
                new ToolRunner(new SsrfGuard(List.of()), new WebhookSigner(null)), timers, VoiceSettings.defaults(),
                60, 700, 250, PipelineParts.BACKCHANNEL_MS, meters);
        pipeline = new ConversationPipeline(parts, caller, new CallActor(actors, timers));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            pipeline.onAudio(new short[320], 320, 0);
            return !deepgram.binaries.isEmpty();
        });
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close(EndReason.CALLER_HANGUP).toCompletableFuture().join();
        chat.close();
        brainHttp.stop();
        deepgram.close();
        timers.shutdownNow();
    }

    @Test
    void givenAFinishedQuestionHeardAsAPartial_whenTheCallerPauses_thenTheReplyStartsBeforeTheFinalAndIsTheOneHeard() {
        // given
        speak(1000, "what are your opening hours", 1.0);
        finals.add(result("What are your opening hours?", 1.0, true));

        // when
        pipeline.onSpeechPaused(2500);

        // then: the model was asked before the recognizer's final came, on the words of the partial
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.utterances.size() == 1);
        assertThat(chat.requests).hasSize(1);
        assertThat(chat.requests.getFirst().arrivedNanos()).isLessThan(finalSentNanos.get());
        assertThat(chat.requests.getFirst().lastContent()).isEqualTo("what are your opening hours");
        assertThat(caller.utterances).containsExactly("You said what are your opening hours. Anything else?");
        assertThat(speculations("confirmed")).isEqualTo(1.0);

        // and the dialog holds the turn once, with the reply
        pipeline.onText("thanks");
        await().atMost(Duration.ofSeconds(5)).until(() -> chat.requests.size() == 2);
        assertThat(chat.requests.get(1).dialog()).containsExactly("user: what are your opening hours",
                "assistant: You said what are your opening hours. Anything else?", "user: thanks");
    }

    @Test
    void givenAPartialTheFinalCompletes_whenTheTurnEnds_thenTheSpeculatedReplyIsNeverHeardNorInTheDialog() {
        // given: a speculated reply that is complete before the final comes
        chat.firstTokenMs = 20;
        speak(1000, "book me for friday", 1.0);
        finals.add(result("Book me for Friday morning.", 1.0, true));

        // when
        pipeline.onSpeechPaused(2500);

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.utterances.size() == 1);
        assertThat(chat.requests).extracting(LoopbackChat.Request::lastContent)
                .containsExactly("book me for friday", "Book me for Friday morning.");
        assertThat(caller.utterances).containsExactly("You said book me for friday morning. Anything else?");
        assertThat(caller.agentTexts).doesNotContain("You said book me for friday.");
        assertThat(speculations("discarded")).isEqualTo(1.0);
        assertThat(speculations("confirmed")).isZero();

        pipeline.onText("thanks");
        await().atMost(Duration.ofSeconds(5)).until(() -> chat.requests.size() == 3);
        assertThat(chat.requests.get(2).dialog()).containsExactly("user: Book me for Friday morning.",
                "assistant: You said book me for friday morning. Anything else?", "user: thanks");
    }

    @Test
    void givenASpeculationAtAPause_whenTheCallerGoesOn_thenItIsDroppedAndTheWholeTurnIsAnswered() {
        // given: a pause after finished-sounding words, and a speculation on them
        speak(1000, "i want to change my booking", 1.0);
        finals.add(result("I want to change my booking", 1.0, true));
        finals.add(result("to next Tuesday.", 2.6, true));
        pipeline.onSpeechPaused(2300);

        // when the caller goes on before the final came, and pauses again
        pipeline.onSpeechStarted(2600);
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.finals.size() == 1);
        deepgram.sendText(interim("to next tuesday", 2.6));
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.partials.size() == 2);
        pipeline.onSpeechPaused(3500);

        // then the first speculation was dropped (aborted before it was sent, or its stream closed) and the whole
        // turn was answered
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.utterances.size() == 1);
        assertThat(chat.requests.getLast().lastContent()).isEqualTo("I want to change my booking to next tuesday");
        assertThat(chat.requests).hasSizeLessThanOrEqualTo(2);
        if (chat.requests.size() == 2) {
            assertThat(chat.requests.getFirst().lastContent()).isEqualTo("i want to change my booking");
            await().atMost(Duration.ofSeconds(5)).until(() -> chat.requests.getFirst().wasAbandoned());
        }
        assertThat(caller.utterances)
                .containsExactly("You said i want to change my booking to next tuesday. Anything else?");
        assertThat(caller.agentTexts).doesNotContain("You said i want to change my booking.");
        assertThat(speculations("discarded")).isEqualTo(1.0);
        assertThat(speculations("confirmed")).isEqualTo(1.0);
    }

    /** The caller starts speaking at {@code offsetMs} and Deepgram hears {@code words} as a partial. */
    private void speak(long offsetMs, String words, double startSec) {
        pipeline.onSpeechStarted(offsetMs);
        for (int i = 0; i < 10; i++) {
            pipeline.onAudio(new short[320], 320, offsetMs + i * 20L);
        }
        int before = caller.partials.size();
        deepgram.sendText(interim(words, startSec));
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.partials.size() > before);
    }

    private double speculations(String outcome) {
        return meters.get("edge.brain.speculations").tags("llm", "openai", "outcome", outcome).counter().count();
    }

    private static String interim(String transcript, double start) {
        return result(transcript, start, false).replace("\"is_final\":true", "\"is_final\":false");
    }

    private static String result(String transcript, double start, boolean fromFinalize) {
        return String.format(Locale.ROOT, "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.2,"
                + "\"start\":%.3f,\"is_final\":true,\"speech_final\":false,\"channel\":{\"alternatives\":[{"
                + "\"transcript\":\"%s\",\"confidence\":0.97,\"words\":[]}]},\"metadata\":{\"request_id\":"
                + "\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\"},\"from_finalize\":%s}", start, transcript, fromFinalize);
    }

    /** The call's side of the session: what the caller sees and hears; every mark is played at once. */
    private final class Caller implements SessionOutput {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final List<String> finals = new CopyOnWriteArrayList<>();
        final List<String> agentTexts = new CopyOnWriteArrayList<>();
        final List<String> utterances = new CopyOnWriteArrayList<>();

        @Override
        public void sendAudio(short[] pcm16k, int length) {
        }

        @Override
        public void mark(String name) {
            pipeline.onMarkPlayed(name);
        }

        @Override
        public void clear() {
        }

        @Override
        public void transcript(String text, boolean isFinal) {
            (isFinal ? finals : partials).add(text);
        }

        @Override
        public void agentText(String text) {
            agentTexts.add(text);
        }

        @Override
        public void emit(Object payload) {
            if (payload instanceof AgentUtterance u && !u.getInterrupted()) {
                utterances.add(u.getText());
            }
        }

        @Override
        public void hangup(EndReason reason, String detail) {
            utterances.add("hung up: " + reason + " " + detail);
        }
    }
}
