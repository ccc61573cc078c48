package io.sipai.edge.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.edge.asr.FakeWsServer;
import io.sipai.edge.pipeline.ws.VendorSocket;
import org.junit.jupiter.api.Test;

/** The real Deepgram Aura streaming client against a loopback server speaking Deepgram's /v1/speak protocol. */
class DeepgramTextToSpeechTest {

    private static final String METADATA = "{\"type\":\"Metadata\",\"request_id\":\"3f1b3c5e-7d3b-4e2a-9c1e\","
            + "\"model_name\":\"aura-2-thalia-en\",\"model_version\":\"2025-04-01\",\"model_uuid\":\"ecb76e9d\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final Recorder recorder = new Recorder();

    private TextToSpeech.Stream open(String baseUrl, String voice) {
        return new DeepgramTextToSpeech(http, baseUrl, "dg-key", "aura-2-thalia-en", Duration.ofSeconds(1))
                .open("call-1", voice, recorder);
    }

    private static byte[] linear16(short... samples) {
        byte[] bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            bytes[2 * i] = (byte) samples[i];
            bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return bytes;
    }

    private static String next(FakeWsServer deepgram) throws InterruptedException {
        String text = deepgram.texts.poll(5, TimeUnit.SECONDS);
        assertThat(text).as("a message from the client within 5 s").isNotNull();
        return text;
    }

    @Test
    void aSentenceIsSpokenAndFlushedAndItsStreamedAudioArrivesInOrderUntilFlushed() throws Exception {
        try (FakeWsServer deepgram = new FakeWsServer(0)) {
            TextToSpeech.Stream stream = open(deepgram.baseUrl(), "aura-2-orion-en");
            stream.speak("s1", "Hello there.");
            assertThat(deepgram.request.get(5, TimeUnit.SECONDS))
                    .contains("GET /v1/speak?model=aura-2-orion-en&encoding=linear16&sample_rate=16000 ")
                    .containsIgnoringCase("authorization: Token dg-key");
            deepgram.sendText(METADATA);
            assertThat(next(deepgram)).isEqualTo("{\"type\":\"Speak\",\"text\":\"Hello there.\"}");
            assertThat(next(deepgram)).isEqualTo("{\"type\":\"Flush\"}");
            deepgram.sendBinary(linear16((short) 1, (short) -2));
            deepgram.sendBinary(linear16((short) 300, (short) -32768, (short) 32767));
            deepgram.sendText("{\"type\":\"Flushed\",\"sequence_id\":0}");
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done:s1"));
            assertThat(recorder.events).containsExactly("audio:s1:[1, -2]", "audio:s1:[300, -32768, 32767]",
                    "done:s1");
            assertThat(recorder.failures).isEmpty();
            stream.close();
            assertThat(next(deepgram)).isEqualTo("{\"type\":\"Close\"}");
        }
    }

    @Test
    void aVoiceThatIsNotAnAuraModelFallsBackToTheDefaultModel() throws Exception {
        try (FakeWsServer deepgram = new FakeWsServer(0)) {
            TextToSpeech.Stream stream = open(deepgram.baseUrl(), "mary-en");
            assertThat(deepgram.request.get(5, TimeUnit.SECONDS)).contains("model=aura-2-thalia-en&");
            stream.close();
        }
    }

    @Test
    void clearDropsAudioInFlightUntilClearedThenTheNextSentencePlays() throws Exception {
        try (FakeWsServer deepgram = new FakeWsServer(0)) {
            TextToSpeech.Stream stream = open(deepgram.baseUrl(), null);
            stream.speak("s1", "A long answer.");
            deepgram.sendBinary(linear16((short) 7));
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("audio:s1:[7]"));
            stream.clear();
            stream.speak("s2", "Yes?");
            deepgram.sendBinary(linear16((short) 8));
            deepgram.sendText("{\"type\":\"Flushed\",\"sequence_id\":0}");
            deepgram.sendText("{\"type\":\"Cleared\",\"sequence_id\":1}");
            deepgram.sendBinary(linear16((short) 9));
            deepgram.sendText("{\"type\":\"Flushed\",\"sequence_id\":2}");
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done:s2"));
            assertThat(recorder.events).containsExactly("audio:s1:[7]", "audio:s2:[9]", "done:s2");
            assertThat(deepgram.texts).contains("{\"type\":\"Clear\"}");
            stream.close();
        }
    }

    @Test
    void aRefusedHandshakeWithAJsonErrorBodyFailsTheStream() throws Exception {
        try (FakeWsServer deepgram = new FakeWsServer(401, "{\"err_code\":\"INVALID_AUTH\","
                + "\"err_msg\":\"Invalid credentials.\",\"request_id\":\"4d7a1c2e\"}")) {
            TextToSpeech.Stream stream = open(deepgram.baseUrl(), null);
            stream.speak("s1", "Hello.");
            await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.failures.isEmpty());
            assertThat(recorder.failures.getFirst()).contains("401");
            assertThat(recorder.events).isEmpty();
            stream.close();
        }
    }

    @Test
    void givenASocketDroppedMidReply_whenDeepgramClosesItWithAnError_thenTheUnflushedSentencesAreSpokenAgainOnANewOne()
            throws Exception {
        try (FakeWsServer deepgram = new FakeWsServer(0)) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Metrics.addRegistry(meters);
            try {
                // given a reply of two sentences, the first one spoken and flushed
                TextToSpeech.Stream stream = open(deepgram.baseUrl(), null);
                stream.speak("s1", "Hello.");
                stream.speak("s2", "How can I help?");
                for (int i = 0; i < 4; i++) {
                    next(deepgram);
                }
                deepgram.sendBinary(linear16((short) 1));
                deepgram.sendText("{\"type\":\"Flushed\",\"sequence_id\":0}");
                deepgram.sendBinary(linear16((short) 2));
                await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("audio:s2:[2]"));

                // when Deepgram drops the socket with a server error
                deepgram.closeWith(1011, "NET-0001");

                // then a new socket speaks the unflushed sentence again, whose audio completes the reply, and the
                // reconnect is counted
                await().atMost(Duration.ofSeconds(5)).until(() -> deepgram.connections() == 2);
                assertThat(next(deepgram)).isEqualTo("{\"type\":\"Speak\",\"text\":\"How can I help?\"}");
                assertThat(next(deepgram)).isEqualTo("{\"type\":\"Flush\"}");
                deepgram.sendBinary(linear16((short) 3));
                deepgram.sendText("{\"type\":\"Flushed\",\"sequence_id\":0}");
                await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done:s2"));
                assertThat(recorder.events).containsExactly("audio:s1:[1]", "done:s1", "audio:s2:[2]",
                        "audio:s2:[3]", "done:s2");
                assertThat(recorder.failures).isEmpty();
                assertThat(meters.get("edge.vendor.reconnects").tag("stage", "tts").tag("engine", "deepgram")
                        .counter().count()).isEqualTo(1);
                stream.close();
            } finally {
                Metrics.removeRegistry(meters);
            }
        }
    }

    @Test
    void givenAVendorThatKeepsDroppingTheSocket_whenItDropsItOnceTooOften_thenTheStreamFails() throws Exception {
        try (FakeWsServer deepgram = new FakeWsServer(0)) {
            // given
            TextToSpeech.Stream stream = open(deepgram.baseUrl(), null);
            stream.speak("s1", "Hello.");
            // when
            for (int drop = 1; drop <= VendorSocket.MAX_RECONNECTS + 1; drop++) {
                int connection = drop;
                await().atMost(Duration.ofSeconds(5)).until(() -> deepgram.connections() == connection);
                next(deepgram);
                next(deepgram);
                deepgram.closeWith(1011, "NET-0003");
            }
            // then
            await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.failures.isEmpty());
            assertThat(recorder.failures.getFirst()).contains("1011").contains("NET-0003")
                    .contains("after " + VendorSocket.MAX_RECONNECTS + " reconnects");
            stream.close();
        }
    }

    @Test
    void givenASocketThatGoesSilent_whenTwoSecondsPass_thenItIsDroppedAndTheSentenceSpokenOnANewOne()
            throws Exception {
        try (FakeWsServer deepgram = new FakeWsServer(0)) {
            // given a sentence waiting for its audio
            TextToSpeech.Stream stream = open(deepgram.baseUrl(), null);
            stream.speak("s1", "Hello.");
            next(deepgram);
            next(deepgram);
            // when the vendor's host goes silent (no close, no reset)
            deepgram.silent = true;
            long silentAt = System.nanoTime();
            // then within the 2 s allowed (plus one ping period) a new socket asks for the sentence again
            await().atMost(Duration.ofSeconds(5)).until(() -> deepgram.connections() == 2);
            assertThat((System.nanoTime() - silentAt) / 1_000_000).isLessThan(3_000);
            deepgram.silent = false;
            assertThat(next(deepgram)).isEqualTo("{\"type\":\"Speak\",\"text\":\"Hello.\"}");
            assertThat(recorder.failures).isEmpty();
            stream.close();
        }
    }

    @Test
    void aServerThatNeverAnswersTheUpgradeFailsTheStreamAfterTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    held.add(silent.accept());
                } catch (java.io.IOException e) {
                    // The test closed the server.
                }
            });
            long start = System.nanoTime();
            TextToSpeech.Stream stream = open("ws://127.0.0.1:" + silent.getLocalPort(), null);
            stream.speak("s1", "Hello.");
            await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.failures.isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(recorder.failures.getFirst()).containsIgnoringCase("timed out");
            stream.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** Records what the stream reports. */
    static final class Recorder implements TextToSpeech.AudioListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void audio(String sentenceId, short[] pcm16k, int length) {
            events.add("audio:" + sentenceId + ":" + Arrays.toString(Arrays.copyOf(pcm16k, length)));
        }

        @Override
        public void done(String sentenceId) {
            events.add("done:" + sentenceId);
        }

        @Override
        public void failed(String error) {
            failures.add(error);
        }
    }
}
