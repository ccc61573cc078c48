package io.sipai.gateway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.AgentUtterance;
import io.sipai.events.CallAnalysisFailed;
import io.sipai.events.CallAnalyzed;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.ToolCallCompleted;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;
import io.sipai.gateway.testing.FakeOpenAi;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Post-call analysis through the real gateway: a booking call's timeline is projected, its end makes the analysis
 * due, and the worker writes exactly one CallAnalyzed per generation to call.events.v1, shown by
 * {@code GET /v1/calls/{id}}: the offline analysis for an agent without a model, the model's for an OpenAI agent
 * (a malformed answer retried), CallAnalysisFailed when the model keeps failing, and a re-analysis on request.
 */
class CallAnalysisTest extends GatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties",
            Map.of("day", Map.of("type", "string"), "hour", Map.of("type", "string")),
            "required", List.of("day", "hour"), "additionalProperties", false);

    @Test
    void anOfflineAgentsCallGetsTheDeterministicAnalysisOnceAndAgainOnRequest() {
        // given an agent without a model that asks for the booked day and hour, and its ended booking call
        String agentId = agent(Map.of("provider", "offline"));
        String callId = bookingCall(agentId);

        // when the analysis is made, then it summarizes the call, fills the data from the tool call, and succeeds
        JsonNode analysis = analysis(callId, "DONE");
        assertThat(analysis.get("engine").stringValue()).isEqualTo("offline");
        assertThat(analysis.get("summary").stringValue()).contains("i would like to book an appointment")
                .contains("You are booked for monday at ten").contains("AGENT_HANGUP");
        assertThat(analysis.get("structuredData")).isEqualTo(JSON.readTree("{\"day\":\"monday\",\"hour\":\"ten\"}"));
        assertThat(analysis.get("success").booleanValue()).isTrue();
        assertThat(analysis.get("generation").intValue()).isEqualTo(1);
        List<CallAnalyzed> written = analyzed(callId, 1);
        assertThat(JSON.readTree(written.getFirst().getStructuredDataJson()))
                .isEqualTo(JSON.readTree("{\"day\":\"monday\",\"hour\":\"ten\"}"));

        // when the call is analyzed again on request
        Answer again = call("POST", "/v1/calls/" + callId + "/analysis", ADMIN_KEY, null);

        // then a second generation is written, and only one per generation
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("generation").intValue()).isEqualTo(2);
        assertThat(analyzed(callId, 2)).extracting(CallAnalyzed::getGeneration).containsExactly(1, 2);
        assertThat(analysis(callId, "DONE").get("generation").intValue()).isEqualTo(2);
    }

    @Test
    void anOpenAiAgentsCallIsAnalyzedByTheModelWithItsSchemaAndAMalformedAnswerIsRetried() {
        // given an OpenAI agent whose model first answers with prose instead of the JSON asked for
        String model = "flaky-" + UUID.randomUUID();
        String agentId = agent(Map.of("provider", "openai", "model", model));
        String callId = bookingCall(agentId);

        // when the analysis is made
        JsonNode analysis = analysis(callId, "DONE");

        // then the second attempt's answer is the analysis, and the request asked for the agent's schema, strictly
        assertThat(analysis.get("engine").stringValue()).isEqualTo("openai:" + model);
        assertThat(analysis.get("attempts").intValue()).isEqualTo(2);
        assertThat(analysis.get("summary").stringValue()).isEqualTo("The caller booked an appointment for monday at ten.");
        assertThat(analysis.get("structuredData").get("day").stringValue()).isEqualTo("monday");
        JsonNode request = FakeOpenAi.REQUESTS.stream().filter(r -> r.path("model").stringValue().equals(model))
                .findFirst().orElseThrow();
        assertThat(request.at("/response_format/type").stringValue()).isEqualTo("json_schema");
        assertThat(request.at("/response_format/json_schema/strict").booleanValue()).isTrue();
        assertThat(request.at("/response_format/json_schema/schema/properties/structuredData"))
                .isEqualTo(JSON.valueToTree(SCHEMA));
        assertThat(request.at("/messages/1/content").stringValue())
                .contains("Caller: i would like to book an appointment")
                .contains("Tool book_appointment called with {\"day\":\"monday\",\"hour\":\"ten\"}");
        assertThat(analyzed(callId, 1).getFirst().getAttempts()).isEqualTo(2);
    }

    @Test
    void aModelThatKeepsFailingEndsInCallAnalysisFailedAfterItsAttempts() {
        // given an OpenAI agent whose model answers HTTP 500 every time
        String agentId = agent(Map.of("provider", "openai", "model", "down-" + UUID.randomUUID()));
        String callId = bookingCall(agentId);

        // when the attempts run out, then the analysis failed, with why, and CallAnalysisFailed is written once
        JsonNode analysis = analysis(callId, "FAILED");
        assertThat(analysis.get("attempts").intValue()).isEqualTo(3);
        assertThat(analysis.get("error").stringValue()).isEqualTo("model answered HTTP 500");
        await().atMost(WAIT).until(() -> !payloads(callId, CallAnalysisFailed.class).isEmpty());
        CallAnalysisFailed failed = payloads(callId, CallAnalysisFailed.class).getFirst();
        assertThat(failed.getAttempts()).isEqualTo(3);
        assertThat(payloads(callId, CallAnalyzed.class)).isEmpty();
    }

    @Test
    void aCallThatIsNotOverIsNotAnalyzedOnRequest() {
        String callId = "analysis-live-" + UUID.randomUUID();
        TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(timeline(callId, null, CallStatus.IN_PROGRESS)));
        await().atMost(WAIT).until(() -> call("GET", "/v1/calls/" + callId, ADMIN_KEY, null).status() == 200);

        Answer refused = call("POST", "/v1/calls/" + callId + "/analysis", ADMIN_KEY, null);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").stringValue()).contains("IN_PROGRESS");
    }

    private String agent(Map<String, Object> llm) {
        Answer created = call("POST", "/v1/agents", ADMIN_KEY, Map.of("name", "Booker", "llm", llm,
                "analysis", Map.of("summaryPrompt", "Mention the booked slot.", "structuredData", SCHEMA,
                        "successCriteria", "An appointment was booked.")));
        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        return created.json().get("id").stringValue();
    }

    /** Projects an ended booking call of the agent as stream-processors would; its id. */
    private String bookingCall(String agentId) {
        String callId = "analysis-" + UUID.randomUUID();
        String tenantId = tenantOf(ADMIN_KEY);
        List<Object> payloads = List.of(Events.requested(), Events.started(),
                AgentUtterance.newBuilder().setUtteranceId("u1").setText("Hello, how can I help?")
                        .setInterrupted(false).setTurn(0).build(),
                TranscriptChunk.newBuilder().setText("i would like to book an appointment").setIsFinal(true)
                        .setConfidence(0.9f).setAudioStartMs(1000).setAudioEndMs(2500).setTurn(1).build(),
                TranscriptChunk.newBuilder().setText("monday at ten").setIsFinal(true).setConfidence(0.9f)
                        .setAudioStartMs(4000).setAudioEndMs(5000).setTurn(2).build(),
                ToolCallRequested.newBuilder().setToolCallId("t1").setName("book_appointment")
                        .setArgumentsJson("{\"day\":\"monday\",\"hour\":\"ten\"}").build(),
                ToolCallCompleted.newBuilder().setToolCallId("t1").setName("book_appointment").setSuccess(true)
                        .setResultJson("{\"reference\":\"R-1\"}").setDurationMs(40).build(),
                AgentUtterance.newBuilder().setUtteranceId("u2").setText("You are booked for monday at ten. Goodbye.")
                        .setInterrupted(false).setTurn(2).build(),
                CallEnded.newBuilder().setReason(EndReason.AGENT_HANGUP).setDurationMs(9000).build());
        List<TimelineEntry> entries = new ArrayList<>();
        for (Object payload : payloads) {
            CallEvent event = CallEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCallId(callId)
                    .setTenantId(tenantId).setAgentId(agentId).setOccurredAt(Instant.now())
                    .setSource(EventSource.REALTIME_EDGE).setPayload(payload).build();
            entries.add(Events.entry(event, entries.size() + 1));
        }
        TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(timeline(callId, agentId, CallStatus.ENDED)));
        TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, callId, entries);
        // A replayed end (the projection reads its topics at least once) makes no second analysis.
        TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, callId, List.of(entries.getLast()));
        return callId;
    }

    private CallTimeline timeline(String callId, String agentId, CallStatus status) {
        return CallTimeline.newBuilder().setCallId(callId).setTenantId(tenantOf(ADMIN_KEY)).setAgentId(agentId)
                .setStatus(status).setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET)
                .setRequestedAt(Instant.now()).setEntryCount(9).setLastEventId("e9").setLastEventAt(Instant.now())
                .setVersion(9).build();
    }

    /** The call's analysis once it has the status. */
    private JsonNode analysis(String callId, String status) {
        await().atMost(WAIT).until(() -> {
            Answer read = call("GET", "/v1/calls/" + callId, ADMIN_KEY, null);
            return read.status() == 200 && read.json().has("analysis")
                    && read.json().get("analysis").get("status").stringValue().equals(status);
        });
        return call("GET", "/v1/calls/" + callId, ADMIN_KEY, null).json().get("analysis");
    }

    /** The CallAnalyzed events of the call once there are at least {@code count}. */
    private List<CallAnalyzed> analyzed(String callId, int count) {
        await().atMost(WAIT).until(() -> payloads(callId, CallAnalyzed.class).size() >= count);
        return payloads(callId, CallAnalyzed.class);
    }

    private static <T> List<T> payloads(String callId, Class<T> type) {
        return TestKafka.events(callId).stream().map(CallEvent::getPayload).filter(type::isInstance).map(type::cast)
                .toList();
    }
}
