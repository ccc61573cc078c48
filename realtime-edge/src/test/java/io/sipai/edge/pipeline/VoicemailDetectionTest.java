package io.sipai.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.EndReason;
import io.sipai.config.AgentConfig;
import io.sipai.config.VoicemailAction;
import io.sipai.config.VoicemailSettings;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.edge.tts.OfflineVoices;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.MachineDetected;
import io.sipai.events.VoicemailLeft;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Answering machine detection on outbound Twilio calls through the real edge: a synthetic voicemail greeting
 * followed by a 1 kHz beep gets the agent's message after the beep, and a person's "hello?" gets the agent's
 * greeting with no detection at all ({@link VoicemailWatchTest} has the other outcomes).
 */
class VoicemailDetectionTest extends EdgeIntegrationTest {

    private static final String MESSAGE = "Hello, this is the clinic calling about your appointment. Please call us back.";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    OfflineVoices voices;

    @Autowired
    AgentDirectory agents;

    @Test
    void aMachineGetsTheMessageAfterItsBeepAndTheCallEndsVoicemail() throws Exception {
        // given an agent that leaves a message on machines, calling out to one
        String agentId = agent(VoicemailAction.LEAVE_MESSAGE);
        String callId = "vm-" + UUID.randomUUID();

        // when the machine plays its greeting, then its beep
        try (TwilioCaller machine = outbound(callId, agentId)) {
            machine.say(machineGreeting(), 0);
            await().atMost(WAIT).until(() -> TestKafka.eventTypes(callId).contains("CallEnded"));
        }

        // then the agent took it for a machine, said its message after the beep, and ended the call as VOICEMAIL
        List<CallEvent> events = TestKafka.events(callId);
        MachineDetected detected = OfflineCall.payload(events, MachineDetected.class).getFirst();
        assertThat(detected.getMethod()).isIn("greeting", "greeting-length", "beep");
        assertThat(detected.getAction()).isEqualTo("leave_message");
        VoicemailLeft left = OfflineCall.payload(events, VoicemailLeft.class).getFirst();
        assertThat(left.getMessage()).isEqualTo(MESSAGE);
        assertThat(left.getBeepHeard()).isTrue();
        assertThat(OfflineCall.payload(events, CallEnded.class).getFirst().getReason()).isEqualTo(EndReason.VOICEMAIL);
        assertThat(TestKafka.eventTypes(callId)).containsSubsequence("MachineDetected", "VoicemailLeft", "CallEnded");
    }

    @Test
    void aPersonAnsweringHelloGetsTheGreetingAndNoDetection() throws Exception {
        // given the same kind of agent calling a person
        String agentId = agent(VoicemailAction.LEAVE_MESSAGE);
        String callId = "vm-" + UUID.randomUUID();

        // when the person says "hello?" and listens
        try (TwilioCaller person = outbound(callId, agentId)) {
            person.say(voices.mary().synthesize("Hello?", null), 3_000);
            await().atMost(WAIT).until(() -> OfflineCall.utterances(TestKafka.events(callId))
                    .contains("Hello, this is the clinic. How can I help you?"));
            await().atMost(WAIT).until(person::sent);
        }

        // then the agent greeted them, nothing was taken for a machine, and the call ended as their hang-up
        await().atMost(WAIT).until(() -> TestKafka.eventTypes(callId).contains("CallEnded"));
        List<CallEvent> events = TestKafka.events(callId);
        assertThat(OfflineCall.payload(events, MachineDetected.class)).isEmpty();
        assertThat(OfflineCall.payload(events, CallEnded.class).getFirst().getReason())
                .isEqualTo(EndReason.CALLER_HANGUP);
    }

    @Test
    void detectionDoesNotDelayTheGreetingAPersonHears() throws Exception {
        // given two agents alike but for detection
        String detecting = agent(VoicemailAction.HANGUP);
        String plain = agent(null);

        // when each calls out, in turn, and the called party waits for the agent's first sound
        List<Long> withDetection = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            without.add(firstAudioMs(plain));
            withDetection.add(firstAudioMs(detecting));
        }

        // then the greeting starts as soon with detection as without (the detector listens beside it)
        long medianWith = withDetection.stream().sorted().toList().get(1);
        long medianWithout = without.stream().sorted().toList().get(1);
        System.out.printf("RESULT voicemail-detection: first agent audio after the stream started, median of 3: "
                + "%d ms with detection %s, %d ms without %s%n", medianWith, withDetection, medianWithout, without);
        assertThat(medianWith).isLessThan(medianWithout + 250);
    }

    private long firstAudioMs(String agentId) throws Exception {
        String callId = "vm-first-" + UUID.randomUUID();
        try (TwilioCaller party = outbound(callId, agentId)) {
            await().atMost(WAIT).until(() -> party.firstAudioMs() >= 0);
            return party.firstAudioMs();
        }
    }

    /** An agent that detects machines and takes {@code action} on them; null: one that does not detect. */
    private String agent(VoicemailAction action) {
        String agentId = "vm-agent-" + UUID.randomUUID();
        AgentConfig agent = VoiceTestSupport.agent(agentId, "http://127.0.0.1:9/unused", VoiceTestSupport.SCRIPT);
        agent.setVoicemail(action == null ? null : new VoicemailSettings(true, action, MESSAGE));
        VoiceTestSupport.publish(agent);
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.find(agentId).isPresent());
        return agentId;
    }

    private TwilioCaller outbound(String callId, String agentId) throws Exception {
        String url = "ws://127.0.0.1:" + port + "/telephony/twilio/stream";
        return new TwilioCaller(WsClient.connect(ws("/telephony/twilio/stream"),
                Map.of("X-Twilio-Signature", new TwilioSignature(TWILIO_TOKEN).sign(url)), List.of()),
                callId, "acme", token(callId, "acme", agentId), agentId, TwilioCaller.CALL_SID, "outbound");
    }

    /** A voicemail greeting, a pause, a 1 kHz beep of half a second, then the silence the machine records. */
    private short[] machineGreeting() throws Exception {
        short[] greeting = voices.mary().synthesize("Hi, you have reached John. I can not take your call right now. "
                + "Please leave a message after the tone.", null);
        short[] beep = new short[8_000];
        for (int i = 0; i < beep.length; i++) {
            beep[i] = (short) (0.3 * 32767 * Math.sin(2 * Math.PI * 1000 * i / 16_000.0));
        }
        short[] audio = Arrays.copyOf(greeting, greeting.length + 4_800 + beep.length + 96_000);
        System.arraycopy(beep, 0, audio, greeting.length + 4_800, beep.length);
        return audio;
    }
}
