package io.sipai.edge.pipeline;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.edge.tts.OfflineVoices;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A whole call with no keys and no network, over each transport: the caller's voice is synthesized with the offline
 * TTS, recognized by Sphinx against the agent's script grammar; the scripted agent fills its slots, calls an HTTP
 * tool on a loopback receiver, confirms and hangs up (see {@link OfflineCall} for the script and the assertions).
 * The three calls run side by side, as calls on one edge do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class OfflineCallTest extends EdgeIntegrationTest {

    @Autowired
    OfflineVoices voices;

    @Autowired
    AgentDirectory agents;

    private OfflineCall call;

    @BeforeAll
    void script() throws Exception {
        call = new OfflineCall(voices.mary());
    }

    @AfterAll
    void stopReceiver() {
        call.close();
    }

    @Test
    void aCallerBooksAnAppointmentWithTheOfflineAgentOverTwilio() {
        String url = "ws://127.0.0.1:" + port + "/telephony/twilio/stream";
        call.playAndVerify("offline-tw-" + UUID.randomUUID(), call.publishAgent(agents), (callId, agentId) ->
                new TwilioCaller(WsClient.connect(ws("/telephony/twilio/stream"), Map.of("X-Twilio-Signature",
                        new TwilioSignature(TWILIO_TOKEN).sign(url)), List.of()),
                        callId, "acme", token(callId, "acme", agentId), agentId));
    }

    @Test
    void aCallerBooksAnAppointmentWithTheOfflineAgentOverSipaisOwnProtocol() {
        call.playAndVerify("offline-ws-" + UUID.randomUUID(), call.publishAgent(agents), (callId, agentId) ->
                new VoiceCaller(WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY)), callId, agentId));
    }

    @Test
    void aCallerBooksAnAppointmentWithTheOfflineAgentOverJambonzListen() {
        call.playAndVerify("offline-jb-" + UUID.randomUUID(), call.publishAgent(agents), (callId, agentId) ->
                new JambonzCaller(WsClient.connect(ws("/telephony/jambonz/listen?callId=" + callId
                        + "&tenantId=acme&agentId=" + agentId + "&token=" + token(callId, "acme", agentId)
                        + "&outRate=8000"),
                        Map.of(), List.of("audio.jambonz.org"))));
    }
}
