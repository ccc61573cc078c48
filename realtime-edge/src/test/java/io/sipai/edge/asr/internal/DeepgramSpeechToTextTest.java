package io.sipai.edge.asr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.edge.asr.FakeWsServer;
import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.asr.TranscriptListener;
import org.junit.jupiter.api.Test;

/** The real Deepgram streaming client against a loopback server speaking Deepgram's /v1/listen protocol. */
class DeepgramSpeechToTextTest {

    private static final String INTERIM = """
            {"type":"Results","channel_index":[0,1],"duration":1.2,"start":5.99,"is_final":false,
             "speech_final":false,"channel":{"alternatives":[{"transcript":"tell me more","confidence":0.91,
             "words":[]}]},"metadata":{"request_id":"52cc0efe-fa77-4aa7-b79c-0dda09de2f14"},"from_finalize":false}""";
    private static final String FINAL = """
            {"type":"Results","channel_index":[0,1],"duration":1.98,"start":5.99,"is_final":true,
             "speech_final":true,"channel":{"alternatives":[{"transcript":"Tell me more about this.",
             "confidence":0.99964225,"words":[{"word":"tell","start":6.0699997,"end":6.3499994,
             "confidence":0.99782443,"punctuated_word":"Tell"}]}]},"metadata":{"request_id":
             "52cc0efe-fa77-4aa7-b79c-0dda09de2f14","model_info":{"name":"2-general-nova",
             "version":"2024-01-18.26916","arch":"nova-2"},"model_uuid":"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c"},
             "from_finalize":false}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final Recorder recorder = new Recorder();

    private SpeechToText.Stream open(FakeWsServer server) {
        return new DeepgramSpeechToText(http, server.baseUrl(), "dg-key", "nova-3", 700, Duration.ofSeconds(2))
                .open("call-1", recorder);
    }

    @Test
    void interimResultsArePartialsAndSpeechFinalEndsTheTurn() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            SpeechToText.Stream stream = open(server);
            stream.audio(new short[320], 320, 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.binaries.isEmpty());
            assertThat(server.request.join()).contains("GET /v1/listen?model=nova-3&encoding=linear16"
                    + "&sample_rate=16000&channels=1&interim_results=true&endpointing=700&utterance_end_ms=1000"
                    + "&vad_events=true").containsIgnoringCase("authorization: Token dg-key");
            assertThat(server.binaries.peek()).hasSize(640);
            server.sendText("{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":5.99}");
            server.sendText(INTERIM);
            server.sendText(FINAL);
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() >= 2);
            assertThat(recorder.events).containsExactly("partial:tell me more@5990",
                    "final:Tell me more about this.@5990-7970:true");
            stream.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.texts.contains("{\"type\":\"CloseStream\"}"));
        }
    }

    @Test
    void theEndOfTurnSendsFinalizeAndItsResultEndsTheTurn() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            server.onText(text -> {
                if (text.contains("Finalize")) {
                    server.sendText(FINAL.replace("\"speech_final\":true", "\"speech_final\":false")
                            .replace("\"from_finalize\":false", "\"from_finalize\":true"));
                }
            });
            SpeechToText.Stream stream = open(server);
            stream.audio(new short[320], 320, 0);
            server.sendText(FINAL.replace("\"speech_final\":true", "\"speech_final\":false"));
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 1);
            stream.endOfTurn(0, 2000);
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() >= 2);
            assertThat(recorder.events).containsExactly("final:Tell me more about this.@5990-7970:false",
                    "final:Tell me more about this.@5990-7970:true");
            stream.close();
        }
    }

    @Test
    void givenAFinalOnItsWayWhenAPauseSendsFinalize_thenOnlyTheResultFromFinalizeAnswersIt() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            // given a Finalize sent at a pause while Deepgram still had a final for the words before it on its way
            SpeechToText.Stream stream = open(server);
            stream.audio(new short[320], 320, 0);
            stream.endOfTurn(0, 2000);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.texts.contains("{\"type\":\"Finalize\"}"));

            // when that final arrives, and then the answer
            server.sendText(FINAL.replace("\"speech_final\":true", "\"speech_final\":false"));
            server.sendText(FINAL.replace("\"speech_final\":true", "\"speech_final\":false")
                    .replace("Tell me more about this.", "And that.").replace("\"from_finalize\":false",
                            "\"from_finalize\":true"));

            // then the first is a piece of the turn, the second ends it
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() >= 2);
            assertThat(recorder.events).containsExactly("final:Tell me more about this.@5990-7970:false",
                    "final:And that.@5990-7970:true");
            stream.close();
        }
    }

    @Test
    void givenNoAudioLeftToFinalize_whenDeepgramSendsNoAnswer_thenTheTurnGoesOnWithTheFinalsItHad() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            SpeechToText.Stream stream = open(server);
            stream.audio(new short[320], 320, 0);

            stream.endOfTurn(0, 2000);

            await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.events.isEmpty());
            assertThat(recorder.events).containsExactly("final:@0-0:true");
            stream.close();
        }
    }

    @Test
    void utteranceEndEndsATurnThatHadFinalResults() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            SpeechToText.Stream stream = open(server);
            server.sendText(FINAL.replace("\"speech_final\":true", "\"speech_final\":false"));
            server.sendText("{\"channel\":[0,1],\"last_word_end\":2.395,\"type\":\"UtteranceEnd\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() >= 2);
            assertThat(recorder.events.get(1)).isEqualTo("final:@2395-2395:true");
            stream.close();
        }
    }

    @Test
    void aStreamTheVendorDropsMidCallIsOpenedAgainAndGoesOnInTheCallsTime() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            // given a stream that carried audio, and a registry bound to the global one as Spring Boot does
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Metrics.addRegistry(meters);
            try {
                droppedAndReopened(server, meters);
            } finally {
                Metrics.removeRegistry(meters);
            }
        }
    }

    private void droppedAndReopened(FakeWsServer server, SimpleMeterRegistry meters) {
        SpeechToText.Stream stream = open(server);
        stream.audio(new short[320], 320, 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.binaries.isEmpty());

        // when Deepgram drops it with an error close, 4 s into the call
        server.closeWith(1011, "NET-0001");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 2);
        stream.audio(new short[320], 320, 4_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.binaries.size() == 2);
        server.sendText(FINAL);

        // then the new socket's results are in the call's time (its 5.99 s is the call's 9.99 s), nothing failed,
        // and the reconnect is counted
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.events.isEmpty());
        assertThat(recorder.events).containsExactly("final:Tell me more about this.@9990-11970:true");
        assertThat(recorder.failures).isEmpty();
        assertThat(meters.get("edge.vendor.reconnects").tag("stage", "asr").tag("engine", "deepgram").counter().count())
                .isEqualTo(1);
        stream.close();
    }

    @Test
    void aTurnBeingFinalizedWhenTheStreamDropsEndsWithTheFinalsItHadAndTheStreamGoesOn() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            // given a turn with a final piece, being finalized
            SpeechToText.Stream stream = open(server);
            stream.audio(new short[320], 320, 0);
            server.sendText(FINAL.replace("\"speech_final\":true", "\"speech_final\":false"));
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 1);
            stream.endOfTurn(0, 2000);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.texts.contains("{\"type\":\"Finalize\"}"));
            // when Deepgram drops the stream before it answers the Finalize
            server.closeWith(1011, "NET-0001");
            // then the turn ends with what it had, without waiting for an answer that cannot come, and goes on
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 2);
            assertThat(recorder.events.get(1)).isEqualTo("final:@0-0:true");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 2);
            assertThat(recorder.failures).isEmpty();
            stream.close();
        }
    }

    @Test
    void aVendorThatKeepsDroppingTheStreamFailsItAfterItsReconnects() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            SpeechToText.Stream stream = open(server);
            for (int drop = 1; drop <= DeepgramSpeechToText.MAX_RECONNECTS + 1; drop++) {
                int connection = drop;
                await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == connection);
                stream.audio(new short[320], 320, drop * 1_000L);
                await().atMost(Duration.ofSeconds(5)).until(() -> server.binaries.size() == connection);
                server.closeWith(1011, "NET-0001");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.failures.isEmpty());
            assertThat(recorder.failures.getFirst()).contains("1011").contains("NET-0001")
                    .contains("after " + DeepgramSpeechToText.MAX_RECONNECTS + " reconnects");
            stream.close();
        }
    }

    @Test
    void aConnectionThatGoesSilentIsDroppedWithinTwoSecondsCountedAndOpenedAgain() throws Exception {
        try (FakeWsServer server = new FakeWsServer(0)) {
            // given a stream the server answers (pings included) for longer than the silence allowed
            SpeechToText.Stream stream = open(server);
            stream.audio(new short[320], 320, 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.binaries.isEmpty());
            Thread.sleep(2_500);
            assertThat(recorder.failures).isEmpty();
            // (a service's registry is bound to the global one, as Spring Boot does)
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Metrics.addRegistry(meters);

            // when the vendor's host goes silent (no close, no reset: a lost host or a black hole)
            server.silent = true;
            long silentAt = System.nanoTime();

            // then the connection is dropped within the 2 s allowed (plus one ping period), counted, and a new one
            // opened in its place
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 2);
            long detectedMs = (System.nanoTime() - silentAt) / 1_000_000;
            assertThat(detectedMs).isLessThan(3_000);
            assertThat(meters.get("edge.vendor.dead_connections").tag("host", "127.0.0.1").counter().count())
                    .isEqualTo(1);
            assertThat(meters.get("edge.vendor.reconnects").tag("stage", "asr").tag("engine", "deepgram").counter().count())
                    .isEqualTo(1);
            assertThat(recorder.failures).isEmpty();
            Metrics.removeRegistry(meters);
            stream.close();
        }
    }

    @Test
    void aRefusedHandshakeFailsTheStream() throws Exception {
        try (FakeWsServer server = new FakeWsServer(401)) {
            SpeechToText.Stream stream = open(server);
            await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.failures.isEmpty());
            assertThat(recorder.failures.getFirst()).contains("401");
            stream.close();
        }
    }

    /** Records what the stream reports. */
    static final class Recorder implements TranscriptListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void partial(String text, float confidence, long startMs, long endMs) {
            events.add("partial:" + text + "@" + startMs);
        }

        @Override
        public void fin(String text, float confidence, long startMs, long endMs, boolean endOfTurn) {
            events.add("final:" + text + "@" + startMs + "-" + endMs + ":" + endOfTurn);
        }

        @Override
        public void failed(String error) {
            failures.add(error);
        }
    }
}
