package io.sipai.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.config.AgentConfig;
import io.sipai.config.RecordingChannels;
import io.sipai.config.RecordingFormat;
import io.sipai.config.RecordingSettings;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.events.RecordingAvailable;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A campaign's or a call's overrides of its agent's recording arrive as the Twilio stream's parameters (as
 * api-gateway's TwiML writes them) and apply to that call only: one agent that records dual-channel, one call
 * recorded mixed (one channel), one not recorded at all.
 */
class CallOverridesTest extends EdgeIntegrationTest {

    @Autowired
    AgentDirectory agents;

    @Test
    void theStreamsOverrideParametersDecideHowThatCallIsRecorded() throws Exception {
        // given an agent that records its calls on two channels
        String agentId = "overrides-" + UUID.randomUUID();
        AgentConfig agent = VoiceTestSupport.agent(agentId, "http://127.0.0.1:9/unused", VoiceTestSupport.SCRIPT);
        agent.setRecording(new RecordingSettings(true, RecordingChannels.DUAL, RecordingFormat.WAV));
        VoiceTestSupport.publish(agent);
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.find(agentId).isPresent());

        // when one call's stream says mixed and another's says off
        String mixed = call(agentId, "mixed");
        String off = call(agentId, "off");

        // then the first is recorded on one channel, and the second ends without a recording
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.eventTypes(mixed)
                .contains("RecordingAvailable"));
        RecordingAvailable recording = OfflineCall.payload(TestKafka.events(mixed), RecordingAvailable.class)
                .getFirst();
        assertThat(channels(Path.of(URI.create(recording.getUri())))).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.eventTypes(off).contains("CallEnded"));
        Thread.sleep(1_000);
        assertThat(TestKafka.eventTypes(off)).doesNotContain("RecordingAvailable");
    }

    /** A call that hears the greeting and hangs up; its id. */
    private String call(String agentId, String recording) throws Exception {
        String callId = "overrides-" + UUID.randomUUID();
        String url = "ws://127.0.0.1:" + port + "/telephony/twilio/stream";
        try (TwilioCaller caller = new TwilioCaller(WsClient.connect(ws("/telephony/twilio/stream"),
                Map.of("X-Twilio-Signature", new TwilioSignature(TWILIO_TOKEN).sign(url)), List.of()),
                TwilioCaller.CALL_SID, Map.of("callId", callId, "tenantId", "acme", "token",
                token(callId, "acme", agentId), "agentId", agentId, "direction", "inbound", "recording",
                recording))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> caller.marksPlayed.get() >= 1);
        }
        return callId;
    }

    /** The channel count of a WAV file's format chunk. */
    private static int channels(Path wav) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(wav), 22, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    }
}
