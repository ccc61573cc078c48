package io.sipai.edge.pipeline;

import static io.sipai.edge.pipeline.OfflineCall.payload;
import static io.sipai.edge.pipeline.OfflineCall.utterances;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.EndReason;
import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.config.ToolDefinition;
import io.sipai.config.ToolKind;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.edge.testing.FakeTelephonyApis;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.ToolCallCompleted;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in {@code transfer_call} hands a real call to its configured target through the provider: Twilio's call
 * update with {@code <Dial>} TwiML, jambonz's call update to the edge's signed hook that answers {@code sip:refer} or
 * {@code dial}, or a {@code transfer} message on sipai's own protocol. The providers are loopback fakes of their
 * REST APIs ({@link FakeTelephonyApis}); the caller presses 0 and the scripted agent calls the tool.
 */
class CallTransferTest extends EdgeIntegrationTest {

    private static final String SCRIPT = """
            {"start": "main", "toolError": "Sorry, I could not put you through.",
             "states": {"main": {"intents": [
               {"name": "operator", "phrases": ["operator"], "dtmf": "0",
                "tool": {"name": "transfer_call", "arguments": {}}, "reply": "Connecting you."},
               {"name": "hello", "phrases": ["hello"], "dtmf": "1", "reply": "Hello again."}]}}}""";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    AgentDirectory agents;

    private final FakeTelephonyApis providers = FakeTelephonyApis.get();

    @Test
    void givenATwilioCall_whenTheAgentTransfersToANumber_thenTwilioDialsItAndTheCallEndsTransferred() {
        String callId = "xfer-tw-" + UUID.randomUUID();
        String callSid = twilioSid();
        try (TwilioCaller caller = twilio(callId, agent("tel:+15551234567"), callSid)) {
            caller.dtmf("0");
            await().atMost(Duration.ofSeconds(20)).until(() -> providers.twilioUpdates.containsKey(callSid));
            FakeTelephonyApis.TwilioUpdate update = providers.twilioUpdates.get(callSid);
            assertThat(update.accountSid()).isEqualTo(TwilioCaller.ACCOUNT_SID);
            assertThat(update.twiml()).isEqualTo("<Response><Dial>+15551234567</Dial></Response>");
            awaitEvent(callId, "ToolCallCompleted");
            caller.stop(callSid);
            awaitEvent(callId, "CallEnded");
        }
        assertTransferred(callId, "tel:+15551234567");
    }

    @Test
    void givenATwilioCall_whenTwilioAnswers500_thenTheToolFailsTheAgentSaysSoAndTheCallContinues() {
        String callId = "xfer-tw-fail-" + UUID.randomUUID();
        String callSid = twilioSid();
        providers.failWith.put(callSid, 500);
        try (TwilioCaller caller = twilio(callId, agent("sip:support@pbx.example.com"), callSid)) {
            assertTransferFailsAndTheCallGoesOn(caller, callId, "transfer failed: Twilio answered HTTP 500");
        }
        assertEndedByTheCaller(callId);
    }

    @Test
    void givenATwilioCall_whenTwilioTakesTheTransferButNeverEndsTheStream_thenTheEdgeEndsItTransferredAfterTheGrace() {
        String callId = "xfer-tw-grace-" + UUID.randomUUID();
        String callSid = twilioSid();
        try (TwilioCaller caller = twilio(callId, agent("tel:+15551234567"), callSid)) {
            caller.dtmf("0");
            WsClient.Close close = caller.ws.awaitClose(Duration.ofSeconds(10));
            assertThat(close.code()).isEqualTo(1000);
            assertThat(providers.twilioUpdates).containsKey(callSid);
        }
        awaitEvent(callId, "CallEnded");
        assertTransferred(callId, "tel:+15551234567");
        List<CallEvent> events = TestKafka.events(callId);
        assertThat(payload(events, CallEnded.class).getFirst().getDetail())
                .isEqualTo("transferred to tel:+15551234567; the provider did not end the stream");
        long graceTakenMs = occurredAt(events, CallEnded.class) - occurredAt(events, ToolCallCompleted.class);
        assertThat(graceTakenMs).isBetween(TRANSFER_GRACE_MS - 50L, TRANSFER_GRACE_MS + 5000L);
    }

    @Test
    void givenATwilioCall_whenTwilioDoesNotAnswerInTime_thenTheToolFailsTheAgentSaysSoAndTheCallContinues() {
        String callId = "xfer-tw-slow-" + UUID.randomUUID();
        String callSid = twilioSid();
        providers.answerDelay.put(callSid, Duration.ofMillis(TRANSFER_TIMEOUT_MS + 3000L));
        try (TwilioCaller caller = twilio(callId, agent("tel:+15551234567"), callSid)) {
            ToolCallCompleted completed = assertTransferFailsAndTheCallGoesOn(caller, callId,
                    "transfer failed: Twilio: no answer within " + TRANSFER_TIMEOUT_MS + " ms");
            assertThat(completed.getDurationMs()).isGreaterThanOrEqualTo(TRANSFER_TIMEOUT_MS);
            assertThat(caller.ws.closed).isNotDone();
        }
        assertEndedByTheCaller(callId);
    }

    @Test
    void givenAJambonzCall_whenTheAgentTransfersToASipUri_thenTheSignedHookAnswersSipReferAndTheCallEndsTransferred()
            throws Exception {
        String callId = "xfer-jb-" + UUID.randomUUID();
        String callSid = UUID.randomUUID().toString();
        try (JambonzCaller caller = jambonz(callId, agent("sip:support@pbx.example.com"), callSid)) {
            caller.dtmf("0");
            await().atMost(Duration.ofSeconds(20)).until(() -> providers.jambonzUpdates.containsKey(callSid));
            FakeTelephonyApis.JambonzUpdate update = providers.jambonzUpdates.get(callSid);
            assertThat(update.body().path("call_hook").path("url").asString())
                    .startsWith("http://127.0.0.1:" + port + "/telephony/jambonz/transfer/" + callId + "?target=");
            assertThat(update.hookStatus()).isEqualTo(200);
            assertThat(JSON.readTree(update.hookAnswer())).isEqualTo(JSON.readTree(
                    "[{\"verb\":\"sip:refer\",\"referTo\":\"sip:support@pbx.example.com\"}]"));
            awaitEvent(callId, "ToolCallCompleted");
        }
        awaitEvent(callId, "CallEnded");
        assertTransferred(callId, "sip:support@pbx.example.com");
    }

    @Test
    void givenAJambonzCall_whenTheAgentTransfersToANumber_thenTheHookDialsItAndRefusesTamperedOrUnsignedRequests()
            throws Exception {
        String callId = "xfer-jb-tel-" + UUID.randomUUID();
        String callSid = UUID.randomUUID().toString();
        try (JambonzCaller caller = jambonz(callId, agent("tel:+15551234567"), callSid)) {
            caller.dtmf("0");
            await().atMost(Duration.ofSeconds(20)).until(() -> providers.jambonzUpdates.containsKey(callSid));
            FakeTelephonyApis.JambonzUpdate update = providers.jambonzUpdates.get(callSid);
            assertThat(JSON.readTree(update.hookAnswer())).isEqualTo(JSON.readTree(
                    "[{\"verb\":\"dial\",\"target\":[{\"type\":\"phone\",\"number\":\"+15551234567\"}]}]"));
            String hook = update.body().path("call_hook").path("url").asString();
            String tampered = hook.replace("%2B15551234567", "%2B19005550100");
            assertThat(tampered).isNotEqualTo(hook);
            HttpResponse<String> forged = providers.requestHook(tampered, callSid);
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hook))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(403);
            String expired = hook.replaceAll("exp=\\d+", "exp=" + (Instant.now().getEpochSecond() - 1));
            assertThat(providers.requestHook(expired, callSid).statusCode()).isEqualTo(403);
        }
        awaitEvent(callId, "CallEnded");
        assertTransferred(callId, "tel:+15551234567");
    }

    @Test
    void givenAnOwnProtocolCall_whenTheAgentTransfers_thenTheClientIsToldTheTargetAndTheCallEndsTransferred() {
        String callId = "xfer-ws-" + UUID.randomUUID();
        try (VoiceCaller caller = new VoiceCaller(WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY)),
                callId, agent("tel:+15551234567"))) {
            await().atMost(Duration.ofSeconds(20)).until(caller::connected);
            caller.dtmf("0");
            await().atMost(Duration.ofSeconds(20)).until(() -> !caller.ended.isEmpty());
            assertThat(caller.transfers).containsExactly("tel:+15551234567");
        }
        awaitEvent(callId, "CallEnded");
        assertTransferred(callId, "tel:+15551234567");
    }

    @Test
    void givenAnAgentWithoutATransferTarget_whenItCallsTransferCall_thenTheToolFailsAndTheCallContinues() {
        String callId = "xfer-none-" + UUID.randomUUID();
        try (VoiceCaller caller = new VoiceCaller(WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY)),
                callId, agent(null))) {
            await().atMost(Duration.ofSeconds(20)).until(caller::connected);
            caller.dtmf("0");
            await().atMost(Duration.ofSeconds(20)).until(() -> utterances(TestKafka.events(callId))
                    .contains("Sorry, I could not put you through."));
            ToolCallCompleted completed = payload(TestKafka.events(callId), ToolCallCompleted.class).getFirst();
            assertThat(completed.getSuccess()).isFalse();
            assertThat(completed.getError()).startsWith("no transfer target configured");
            assertThat(caller.transfers).isEmpty();
            assertThat(TestKafka.eventTypes(callId)).doesNotContain("CallEnded");
        }
    }

    private TwilioCaller twilio(String callId, String agentId, String callSid) {
        String url = "ws://127.0.0.1:" + port + "/telephony/twilio/stream";
        return new TwilioCaller(WsClient.connect(ws("/telephony/twilio/stream"), Map.of("X-Twilio-Signature",
                new TwilioSignature(TWILIO_TOKEN).sign(url)), List.of()), callId, "acme",
                token(callId, "acme", agentId), agentId, callSid);
    }

    private JambonzCaller jambonz(String callId, String agentId, String callSid) {
        return new JambonzCaller(WsClient.connect(ws("/telephony/jambonz/listen?callId=" + callId
                + "&tenantId=acme&agentId=" + agentId + "&token=" + token(callId, "acme", agentId)
                + "&outRate=8000"),
                Map.of(), List.of("audio.jambonz.org")), callSid);
    }

    /** Publishes an agent whose transfer_call tool has {@code target} as its url (none when null). */
    private String agent(String target) {
        String agentId = "transfer-" + UUID.randomUUID();
        ProviderSettings offline = ProviderSettings.newBuilder().setProvider("offline").build();
        VoiceTestSupport.publish(AgentConfig.newBuilder().setAgentId(agentId).setTenantId("acme").setVersion(1)
                .setUpdatedAt(Instant.now()).setName("transfer").setAsr(offline).setLlm(offline).setTts(offline)
                .setTools(List.of(ToolDefinition.newBuilder().setName("transfer_call")
                        .setDescription("Puts the caller through to a person").setParametersJsonSchema("{}")
                        .setKind(ToolKind.TRANSFER_CALL).setUrl(target).setTimeoutMs(3000).build()))
                .setBargeIn(BargeInSettings.newBuilder().build())
                .setEndpointing(EndpointingSettings.newBuilder().build())
                .setSilencePromptMs(60_000).setScriptJson(SCRIPT).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.find(agentId).isPresent());
        return agentId;
    }

    private static String twilioSid() {
        return "CA" + UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * The caller asks for a transfer (0) that fails with {@code error}: the agent apologises, still answers (1), and
     * the call is not over. Returns the failed tool result.
     */
    private static ToolCallCompleted assertTransferFailsAndTheCallGoesOn(TwilioCaller caller, String callId,
                                                                         String error) {
        caller.dtmf("0");
        await().atMost(Duration.ofSeconds(20)).until(() -> utterances(TestKafka.events(callId))
                .contains("Sorry, I could not put you through."));
        ToolCallCompleted completed = payload(TestKafka.events(callId), ToolCallCompleted.class).getFirst();
        assertThat(completed.getName()).isEqualTo("transfer_call");
        assertThat(completed.getSuccess()).isFalse();
        assertThat(completed.getError()).isEqualTo(error);
        caller.dtmf("1");
        await().atMost(Duration.ofSeconds(20)).until(() -> utterances(TestKafka.events(callId))
                .contains("Hello again."));
        assertThat(TestKafka.eventTypes(callId)).doesNotContain("CallEnded");
        return completed;
    }

    private static void assertEndedByTheCaller(String callId) {
        awaitEvent(callId, "CallEnded");
        assertThat(payload(TestKafka.events(callId), CallEnded.class).getFirst().getReason())
                .isEqualTo(EndReason.CALLER_HANGUP);
    }

    private static void awaitEvent(String callId, String type) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestKafka.eventTypes(callId).contains(type));
    }

    /** When the first event with a {@code type} payload happened, in epoch milliseconds. */
    private static long occurredAt(List<CallEvent> events, Class<?> type) {
        return events.stream().filter(e -> type.isInstance(e.getPayload())).findFirst().orElseThrow().getOccurredAt()
                .toEpochMilli();
    }

    private static void assertTransferred(String callId, String target) {
        assertThat(TestKafka.eventTypes(callId)).containsSubsequence("CallStarted", "DtmfReceived",
                "ToolCallRequested", "ToolCallCompleted", "CallEnded");
        ToolCallCompleted completed = payload(TestKafka.events(callId), ToolCallCompleted.class).getFirst();
        assertThat(completed.getSuccess()).isTrue();
        assertThat(completed.getResultJson()).contains(target);
        CallEnded ended = payload(TestKafka.events(callId), CallEnded.class).getFirst();
        assertThat(ended.getReason()).isEqualTo(EndReason.TRANSFERRED);
        assertThat(ended.getDetail()).startsWith("transferred to " + target);
    }
}
