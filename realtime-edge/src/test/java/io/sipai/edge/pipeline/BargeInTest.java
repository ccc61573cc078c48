package io.sipai.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
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
import io.sipai.edge.testing.Recorded;
import io.sipai.edge.tts.OfflineVoices;
import io.sipai.events.AgentUtterance;
import io.sipai.events.BargeIn;
import io.sipai.events.CallEvent;
import io.sipai.events.RecordingAvailable;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The caller talks over a long agent reply: playback is cleared at once, the brain and synthesis are cancelled,
 * the agent's utterance records only what was heard, the call's recording cuts the reply where it was cleared, and
 * the caller's new turn is answered.
 */
class BargeInTest extends EdgeIntegrationTest {

    private static final String LONG_GREETING = "Hello, this is the clinic. We are open every day from nine to five."
            + " We can book, move or cancel your appointments. We can also answer questions about your bills."
            + " Please tell me what you would like to do today.";

    /** The agents' default {@code bargeIn.backchannelMs}. */
    private static final int BACKCHANNEL_WINDOW_MS = 800;

    @Autowired
    OfflineVoices voices;

    @Autowired
    AgentDirectory agents;

    @Test
    void callerSpeechDuringALongReplyClearsPlaybackAndGetsANewAnswer() throws Exception {
        String agentId = "bargein-" + UUID.randomUUID();
        AgentConfig agent = VoiceTestSupport.agent(agentId, "http://127.0.0.1:9/unused",
                VoiceTestSupport.SCRIPT.replace("Hello, this is the clinic. How can I help you?", LONG_GREETING));
        agent.setRecording(new RecordingSettings(true, RecordingChannels.DUAL, RecordingFormat.WAV));
        VoiceTestSupport.publish(agent);
        short[] book = voices.mary().synthesize("I would like to book an appointment", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.find(agentId).isPresent());

        String callId = "bargein-" + UUID.randomUUID();
        String url = "ws://127.0.0.1:" + port + "/telephony/twilio/stream";
        try (TwilioCaller caller = new TwilioCaller(WsClient.connect(ws("/telephony/twilio/stream"),
                Map.of("X-Twilio-Signature", new TwilioSignature(TWILIO_TOKEN).sign(url)), List.of()),
                callId, "acme", token(callId, "acme", agentId), agentId)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> caller.marksPlayed.get() >= 1);
            caller.say(book, 1200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !caller.clears.isEmpty());
            await().atMost(Duration.ofSeconds(60)).until(() -> OfflineCall.utterances(TestKafka.events(callId))
                    .contains("Sure. What day and time would suit you?"));
        }

        List<CallEvent> events = TestKafka.events(callId);
        BargeIn bargeIn = OfflineCall.payload(events, BargeIn.class).getFirst();
        assertThat(bargeIn.getReactionMs()).isLessThanOrEqualTo(100);
        AgentUtterance cut = OfflineCall.payload(events, AgentUtterance.class).getFirst();
        assertThat(cut.getInterrupted()).isTrue();
        assertThat(cut.getText()).isEqualTo(LONG_GREETING);
        assertThat(cut.getHeardText()).startsWith("Hello, this is the clinic.").isNotEqualTo(LONG_GREETING);
        assertThat(LONG_GREETING).startsWith(cut.getHeardText());
        assertThat(bargeIn.getUtteranceId()).isEqualTo(cut.getUtteranceId());
        assertThat(OfflineCall.finals(events)).contains("i would like to book an appointment");
        assertThat(TestKafka.eventTypes(callId)).containsSubsequence("CallStarted", "UserSpeechStarted",
                "BargeIn", "AgentUtterance", "TranscriptChunk", "AgentUtterance");
        theRecordingHoldsBothSidesAsHeardWithTheGreetingCutAtTheBargeIn(callId, book);
    }

    /**
     * The agent records its calls: the recording is announced once stored, after the end, and holds the caller on the
     * left and the agent as heard on the right, the greeting cut where the caller barged in.
     */
    private static void theRecordingHoldsBothSidesAsHeardWithTheGreetingCutAtTheBargeIn(String callId, short[] book)
            throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.eventTypes(callId)
                .contains("RecordingAvailable"));
        assertThat(TestKafka.eventTypes(callId)).containsSubsequence("BargeIn", "CallEnded", "RecordingAvailable");
        RecordingAvailable recording = OfflineCall.payload(TestKafka.events(callId), RecordingAvailable.class)
                .getFirst();
        Path file = Path.of(URI.create(recording.getUri()));
        assertThat(file).startsWith(RECORDINGS.resolve("acme")).hasFileName(callId + ".wav");
        assertThat(recording.getContentType()).isEqualTo("audio/wav");

        short[][] tracks = Recorded.tracks(file, 2);
        assertThat(tracks[0].length * 1000L / 16_000).isEqualTo(recording.getDurationMs());
        long speech = onsetMs(tracks[0]);
        assertThat(speech).isPositive();
        assertThat(Recorded.rms(tracks[1], speech - 600, speech - 100)).as("greeting before the barge-in").isGreaterThan(300);
        long bookMs = book.length / 16;
        // (the caller's words are not a backchannel, but the offline recognizer has none before the turn's end: the
        // agent stops once the speech outlasts the backchannel window, and its last buffered audio plays out)
        assertThat(Recorded.rms(tracks[1], speech + BACKCHANNEL_WINDOW_MS + 400, speech + bookMs))
                .as("agent after the barge-in").isLessThan(30);
        assertThat(Recorded.rms(tracks[1], speech + bookMs, tracks[1].length / 16)).as("the agent's answer")
                .isGreaterThan(300);
    }

    @Test
    void aBackchannelDuringAReplyNeitherInterruptsItNorTakesTheTurn() throws Exception {
        // given a call whose agent greets at length
        String agentId = "backchannel-" + UUID.randomUUID();
        VoiceTestSupport.publish(VoiceTestSupport.agent(agentId, "http://127.0.0.1:9/unused",
                VoiceTestSupport.SCRIPT.replace("Hello, this is the clinic. How can I help you?", LONG_GREETING)));
        short[] yeah = voices.mary().synthesize("yeah", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.find(agentId).isPresent());
        String callId = "backchannel-" + UUID.randomUUID();
        String url = "ws://127.0.0.1:" + port + "/telephony/twilio/stream";
        try (TwilioCaller caller = new TwilioCaller(WsClient.connect(ws("/telephony/twilio/stream"),
                Map.of("X-Twilio-Signature", new TwilioSignature(TWILIO_TOKEN).sign(url)), List.of()),
                callId, "acme", token(callId, "acme", agentId), agentId)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> caller.marksPlayed.get() >= 1);

            // when the caller says "yeah" while it speaks
            caller.say(yeah, 1200);

            // then the greeting plays to its end, uncut, and the acknowledgement gets no answer of its own
            await().atMost(Duration.ofSeconds(60)).until(() -> !OfflineCall.payload(TestKafka.events(callId),
                    AgentUtterance.class).isEmpty());
            assertThat(caller.clears).isEmpty();
        }
        List<CallEvent> events = TestKafka.events(callId);
        AgentUtterance greeting = OfflineCall.payload(events, AgentUtterance.class).getFirst();
        assertThat(greeting.getInterrupted()).isFalse();
        assertThat(greeting.getText()).isEqualTo(LONG_GREETING);
        assertThat(TestKafka.eventTypes(callId)).contains("UserSpeechStarted").doesNotContain("BargeIn");
        assertThat(OfflineCall.utterances(events)).containsExactly(LONG_GREETING);
    }

    @Test
    void aCallerWhoHangsUpDuringAReplyLeavesItInTheLogAsInterruptedBeforeTheEnd() {
        // given a call whose agent greets at length
        String agentId = "hangup-" + UUID.randomUUID();
        VoiceTestSupport.publish(VoiceTestSupport.agent(agentId, "http://127.0.0.1:9/unused",
                VoiceTestSupport.SCRIPT.replace("Hello, this is the clinic. How can I help you?", LONG_GREETING)));
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.find(agentId).isPresent());
        String callId = "hangup-" + UUID.randomUUID();

        // when the caller hangs up a second into the greeting
        try (VoiceCaller caller = new VoiceCaller(WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY)),
                callId, agentId)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> caller.ws.binaryCount.get() >= 50);
        }

        // then the greeting is in the log, interrupted, with the part that played, and then the call's end
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.eventTypes(callId).contains("CallEnded"));
        List<CallEvent> events = TestKafka.events(callId);
        AgentUtterance cut = OfflineCall.payload(events, AgentUtterance.class).getFirst();
        assertThat(cut.getInterrupted()).isTrue();
        assertThat(cut.getText()).isEqualTo(LONG_GREETING);
        assertThat(LONG_GREETING).startsWith(cut.getHeardText());
        assertThat(cut.getHeardText()).isNotEqualTo(LONG_GREETING);
        assertThat(TestKafka.eventTypes(callId)).containsSubsequence("CallStarted", "AgentUtterance", "CallEnded");
    }

    private static long onsetMs(short[] track) {
        for (int i = 0; i + 320 <= track.length; i += 320) {
            if (Recorded.rms(track, i / 16, i / 16 + 20) > 300) {
                return i / 16;
            }
        }
        return -1;
    }
}
