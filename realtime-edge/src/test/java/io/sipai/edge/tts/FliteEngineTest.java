package io.sipai.edge.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.runtime.InvalidSettingException;
import io.sipai.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flite engine against Debian's flite: order, barge-in, what reaches the process, and its WAV. */
class FliteEngineTest {

    private static FliteEngine flite;

    @BeforeAll
    static void flite() {
        Tools.require("flite", "the offline voice's fast engine (Debian package flite)");
        flite = FliteEngine.find("flite", 2).orElseThrow();
    }

    @AfterAll
    static void close() {
        if (flite != null) {
            flite.close();
        }
    }

    @Test
    void sentencesAreSpokenInTheOrderQueuedAsAudibleSpeechAt16kHz() throws Exception {
        // given a call's stream
        Recorder recorder = new Recorder();
        try (TextToSpeech.Stream stream = flite.open("call-1", null, recorder)) {
            // when three sentences are queued at once
            stream.speak("s1", "Hello, this is the clinic.");
            stream.speak("s2", "What day would suit you?");
            stream.speak("s3", "Thank you.");

            // then each is done in order, with about as many samples as its words take at 16 kHz, and not silence
            assertThat(recorder.done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(recorder.order).containsExactly("s1", "s2", "s3");
        assertThat(recorder.samples.get("s1").get()).isBetween(16_000, 48_000);
        assertThat(recorder.samples.get("s3").get()).isBetween(4_000, 24_000);
        assertThat(recorder.peak.get()).isGreaterThan(3_000);
        assertThat(recorder.failures).isEmpty();
    }

    @Test
    void aClearStopsTheSentenceInProgressAndDropsTheQueue() throws Exception {
        // given a stream that is cleared as the first audio of a long sentence arrives (a barge-in)
        Recorder recorder = new Recorder();
        AtomicInteger chunksAfterClear = new AtomicInteger();
        CountDownLatch cleared = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        TextToSpeech.Stream[] holder = new TextToSpeech.Stream[1];
        try (TextToSpeech.Stream stream = flite.open("call-2", null, new TextToSpeech.AudioListener() {
            @Override
            public void audio(String sentenceId, short[] pcm16k, int length) {
                if (cleared.getCount() == 0) {
                    chunksAfterClear.incrementAndGet();
                    return;
                }
                awaitQuietly(queued);
                holder[0].clear();
                cleared.countDown();
            }

            @Override
            public void done(String sentenceId) {
                recorder.done(sentenceId);
            }

            @Override
            public void failed(String error) {
                recorder.failed(error);
            }
        })) {
            holder[0] = stream;
            // when
            stream.speak("long", "We are open every day from nine to five. We can book, move or cancel your "
                    + "appointments, and we can also answer questions about your bills.");
            stream.speak("next", "Is there anything else?");
            queued.countDown();

            // then nothing more of the cleared sentence and nothing of the queued one is delivered
            assertThat(cleared.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(500);
        }
        assertThat(chunksAfterClear.get()).isZero();
        assertThat(recorder.order).isEmpty();
        assertThat(recorder.failures).isEmpty();
    }

    @Test
    void textReachesFliteOnlyAsSpeechReducedToAscii(@TempDir Path dir) throws Exception {
        // given text that looks like options, or that flite cannot read
        assertThat(FliteEngine.speakable("Caf\u00e9 \u20ac5, na\u00efve \u2014 ok")).isEqualTo("Cafe  5, naive ,  ok");
        assertThat(FliteEngine.speakable("I\u2019m \u201cdone\u201d\u2026")).isEqualTo("I'm \"done\"...");
        assertThat(flite.voices()).contains("kal16").noneMatch(voice -> voice.endsWith("_time"));
        Path target = dir.resolve("pwned.wav");
        Recorder recorder = new Recorder(1);
        try (TextToSpeech.Stream stream = flite.open("call-3", "cmu-slt-hsmm", recorder)) {
            // when it is spoken (with a voice flite does not have)
            stream.speak("opts", "-o " + target + " -voice kal");

            // then it was read as words (audio, no file written) in the default voice
            assertThat(recorder.done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(recorder.samples.get("opts").get()).isGreaterThan(8_000);
        assertThat(Files.exists(target)).isFalse();
    }

    @Test
    void an8kHzWavIsResampledTo16kHzAndItsStreamingSizesAreIgnored() throws Exception {
        // given the WAV flite writes to a pipe: 8 kHz, RIFF and data sizes 0
        short[] tone = new short[800];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8_000 * Math.sin(2 * Math.PI * 440 * i / 8_000.0));
        }
        byte[] wav = wav(8_000, tone);
        AtomicInteger samples = new AtomicInteger();

        // when it is read
        FliteEngine.readWav(new ByteArrayInputStream(wav), (pcm, n) -> samples.addAndGet(n), () -> false);

        // then 100 ms at 8 kHz are about 100 ms at 16 kHz
        assertThat(samples.get()).isBetween(1_590, 1_610);
        assertThatThrownBy(() -> FliteEngine.readWav(new ByteArrayInputStream("not a wav at all".getBytes(
                StandardCharsets.US_ASCII)), (pcm, n) -> { }, () -> false)).hasMessageContaining("no WAV");
    }

    @Test
    void withoutFliteAutoChoosesMaryTtsAndAnExplicitChoiceFailsAtStartup() {
        try (OfflineVoices voices = OfflineVoices.start("auto", "/nonexistent/flite", 1, 1, false)) {
            assertThat(voices.offline().name()).isEqualTo("marytts");
            assertThat(voices.flite()).isEmpty();
        }
        assertThatThrownBy(() -> OfflineVoices.start("flite", "/nonexistent/flite", 1, 1, false))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("VOICE_OFFLINE_TTS")
                .hasMessageContaining("not installed");
        try (OfflineVoices voices = OfflineVoices.start("auto", "flite", 1, 1, false)) {
            assertThat(voices.offline().name()).isEqualTo("flite");
            assertThat(voices.started()).isTrue();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] wav(int rate, short[] samples) {
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(0)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        header.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        header.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        ByteBuffer body = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        body.asShortBuffer().put(samples);
        out.writeBytes(body.array());
        return out.toByteArray();
    }

    /** Collects a stream's audio per sentence and the order sentences finished in. */
    private static final class Recorder implements TextToSpeech.AudioListener {

        final Map<String, AtomicInteger> samples = new ConcurrentHashMap<>();
        final List<String> order = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger peak = new AtomicInteger();
        final CountDownLatch done;

        Recorder() {
            this(3);
        }

        Recorder(int sentences) {
            done = new CountDownLatch(sentences);
        }

        @Override
        public void audio(String sentenceId, short[] pcm16k, int length) {
            samples.computeIfAbsent(sentenceId, id -> new AtomicInteger()).addAndGet(length);
            for (int i = 0; i < length; i++) {
                peak.accumulateAndGet(Math.abs(pcm16k[i]), Math::max);
            }
        }

        @Override
        public void done(String sentenceId) {
            order.add(sentenceId);
            done.countDown();
        }

        @Override
        public void failed(String error) {
            failures.add(error);
        }
    }
}
