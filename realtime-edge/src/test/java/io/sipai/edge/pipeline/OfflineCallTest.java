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
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.sipai.common.EndReason;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.edge.testing.TestKafka;
import io.sipai.edge.testing.WsClient;
import io.sipai.edge.tts.MaryEngine;
import io.sipai.events.AgentUtterance;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.ToolCallCompleted;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;
import io.sipai.events.TurnMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A whole call with no keys and no network: the caller's voice is synthesized with the offline TTS, sent over the
 * Twilio Media Streams protocol, recognized by Sphinx against the agent's script grammar; the scripted agent fills
 * its slots, calls an HTTP tool on a loopback receiver, confirms and hangs up. The call's
 * events are read back from the real broker, in order.
 */
class OfflineCallTest extends EdgeIntegrationTest {

    private static HttpServer receiver;
    private static final List<String> toolBodies = new CopyOnWriteArrayList<>();
    private static final List<String> callIds = new CopyOnWriteArrayList<>();

    @Autowired
    MaryEngine mary;

    @Autowired
    AgentDirectory agents;

    @BeforeAll
    static void toolReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/book", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            toolBodies.add(body);
            callIds.add(exchange.getRequestHeaders().getFirst("X-Sipai-Call-Id"));
            byte[] answer = "{\"reference\":\"A12\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void aCallerBooksAnAppointmentWithTheOfflineAgentOverTwilio() throws Exception {
        String agentId = "booking-" + UUID.randomUUID();
        VoiceTestSupport.publish(VoiceTestSupport.agent(agentId, "http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/book", VoiceTestSupport.SCRIPT));
        short[] book = mary.synthesize("I would like to book an appointment", null);
        short[] when = mary.synthesize("tomorrow at ten", null);
        short[] yes = mary.synthesize("yes", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.find(agentId).isPresent());

        String callId = "offline-" + UUID.randomUUID();
        try (TwilioCaller caller = new TwilioCaller(WsClient.connect(ws("/telephony/twilio/stream"), Map.of(
                "X-Twilio-Signature", new io.sipai.edge.auth.TwilioSignature(TWILIO_TOKEN)
                        .sign("ws://127.0.0.1:" + port + "/telephony/twilio/stream")), List.of()),
                callId, "acme", token(callId, "acme"), agentId)) {
            awaitUtterances(callId, 1);
            caller.say(book, 1200);
            awaitUtterances(callId, 2);
            caller.say(when, 1200);
            awaitUtterances(callId, 3);
            caller.say(yes, 1200);
            await().atMost(Duration.ofSeconds(60)).until(() -> TestKafka.eventTypes(callId).contains("CallEnded"));
        }

        List<CallEvent> events = TestKafka.events(callId);
        assertThat(finals(events)).containsExactly("i would like to book an appointment", "tomorrow at ten",
                finals(events).get(2));
        assertThat(finals(events).get(2)).isIn("yes", "yeah");
        assertThat(utterances(events)).containsExactly("Hello, this is the clinic. How can I help you?",
                "Sure. What day and time would suit you?", "So tomorrow at ten. Shall I book it?",
                "You are booked for tomorrow at ten. Your reference is A12. Goodbye.");
        assertThat(toolBodies).containsExactly("{\"day\":\"tomorrow\",\"hour\":\"ten\"}");
        assertThat(callIds).containsExactly(callId);
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
}
