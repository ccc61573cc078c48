package io.sipai.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import com.sun.net.httpserver.HttpServer;
import io.sipai.common.EndReason;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.tts.MaryEngine;
import io.sipai.events.AgentUtterance;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.ToolCallCompleted;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;
import io.sipai.events.TurnMetrics;
import io.sipai.testing.kafka.TestKafka;

/**
 * The scripted booking call the offline tests play over every transport, and what they assert on the call's events
 * read back from the real broker: the caller's three phrases (synthesized with the offline TTS) are recognized, the
 * agent fills its slots, calls its HTTP tool on a loopback receiver, confirms and hangs up.
 */
final class OfflineCall implements AutoCloseable {

    private final HttpServer receiver;
    private final Map<String, String> toolBodiesByCallId = new ConcurrentHashMap<>();
    private final short[] book;
    private final short[] when;
    private final short[] yes;

    OfflineCall(MaryEngine mary) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/book", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            toolBodiesByCallId.merge(String.valueOf(exchange.getRequestHeaders().getFirst("X-Sipai-Call-Id")),
                    body, (a, b) -> a + "\n" + b);
            byte[] answer = "{\"reference\":\"A12\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        book = mary.synthesize("I would like to book an appointment", null);
        when = mary.synthesize("tomorrow at ten", null);
        yes = mary.synthesize("yes", null);
    }

    /** Publishes a fresh booking agent and waits until the edge knows it; returns its id. */
    String publishAgent(AgentDirectory agents) {
        String agentId = "booking-" + UUID.randomUUID();
        VoiceTestSupport.publish(VoiceTestSupport.agent(agentId, "http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/book", VoiceTestSupport.SCRIPT));
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.find(agentId).isPresent());
        return agentId;
    }

    /** Plays the whole call through the caller {@code dial} opens for (callId, agentId), then asserts its events. */
    void playAndVerify(String callId, String agentId, BiFunction<String, String, PacedCaller> dial) {
        try (PacedCaller caller = dial.apply(callId, agentId)) {
            awaitUtterances(callId, 1);
            caller.say(book, 1200);
            awaitUtterances(callId, 2);
            caller.say(when, 1200);
            awaitUtterances(callId, 3);
            caller.say(yes, 1200);
            await().atMost(Duration.ofSeconds(60)).until(() -> TestKafka.eventTypes(callId).contains("CallEnded"));
        }
        verify(callId);
    }

    private void verify(String callId) {
        List<CallEvent> events = TestKafka.events(callId);
        assertThat(finals(events)).hasSize(3).startsWith("i would like to book an appointment", "tomorrow at ten");
        assertThat(finals(events).get(2)).isIn("yes", "yeah");
        assertThat(utterances(events)).containsExactly("Hello, this is the clinic. How can I help you?",
                "Sure. What day and time would suit you?", "So tomorrow at ten. Shall I book it?",
                "You are booked for tomorrow at ten. Your reference is A12. Goodbye.");
        assertThat(toolBodiesByCallId).containsEntry(callId, "{\"day\":\"tomorrow\",\"hour\":\"ten\"}");
        ToolCallCompleted completed = payload(events, ToolCallCompleted.class).getFirst();
        assertThat(completed.getSuccess()).isTrue();
        assertThat(completed.getResultJson()).isEqualTo("{\"reference\":\"A12\"}");
        assertThat(payload(events, ToolCallRequested.class).getFirst().getName()).isEqualTo("book_appointment");
        assertThat(payload(events, TurnMetrics.class)).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(m -> assertThat(m.getVoiceToVoiceMs()).isNotNull().isPositive());
        assertThat(payload(events, CallEnded.class).getFirst().getReason()).isEqualTo(EndReason.AGENT_HANGUP);
        assertThat(TestKafka.eventTypes(callId)).containsSubsequence("CallStarted", "AgentUtterance",
                "UserSpeechStarted", "TranscriptChunk", "TurnMetrics", "AgentUtterance", "UserSpeechStarted",
                "TranscriptChunk", "AgentUtterance", "UserSpeechStarted", "TranscriptChunk", "ToolCallRequested",
                "ToolCallCompleted", "AgentUtterance", "CallEnded");
    }

    private static void awaitUtterances(String callId, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> TestKafka.eventTypes(callId).stream()
                .filter("AgentUtterance"::equals).count() >= count);
    }

    static List<String> finals(List<CallEvent> events) {
        return payload(events, TranscriptChunk.class).stream().filter(TranscriptChunk::getIsFinal)
                .map(TranscriptChunk::getText).toList();
    }

    static List<String> utterances(List<CallEvent> events) {
        return payload(events, AgentUtterance.class).stream().map(AgentUtterance::getText).toList();
    }

    static <T> List<T> payload(List<CallEvent> events, Class<T> type) {
        return events.stream().map(CallEvent::getPayload).filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() {
        receiver.stop(0);
    }
}
