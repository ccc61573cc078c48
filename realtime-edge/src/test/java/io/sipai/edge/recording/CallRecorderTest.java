package io.sipai.edge.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sipai.config.RecordingChannels;
import io.sipai.edge.testing.Recorded;
import io.sipai.runtime.recordings.FileRecordingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder puts the caller's audio and the agent's audio on one timeline as the caller heard them, driven by a
 * test clock: caller frames arrive every 20 ms with network jitter, agent audio is sent as playback sends it.
 */
class CallRecorderTest {

    private static final int RATE = Recorded.RATE;
    private static final int FRAME = 320;

    @TempDir
    Path dir;

    private final RecordingWriter writer = new RecordingWriter(1024);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aToneAtAKnownTimeLandsWithin20MsOfItsPlaceInBothTracks() throws Exception {
        // given a call whose caller says a tone at 1.000 s, its frames arriving with up to 15 ms of jitter
        CallRecorder recorder = recorder(RecordingChannels.DUAL);
        long start = nanos.get();
        for (int frame = 0; frame < 150; frame++) {
            long captured = (frame + 1) * 20L;
            long jitter = (frame % 3) * 7L;
            at(start, captured + jitter);
            recorder.caller(frame >= 50 && frame < 60 ? tone(FRAME, 1000) : new short[FRAME], FRAME);
            // when playback sends the agent's tone, paced, from 2.000 s on (100 ms ahead, as Playback does)
            if (captured >= 1900 && captured < 2100) {
                recorder.agent(tone(FRAME, 600), FRAME);
            }
        }

        // then the caller's tone starts at 1.000 s and the agent's at the 2.000 s it was played, each within 20 ms
        short[][] tracks = channels(recorder.finish(), 2);
        assertThat(onsetMs(tracks[0])).isBetween(980L, 1020L);
        assertThat(onsetMs(tracks[1])).isBetween(1880L, 2020L);
        assertThat(Recorded.rms(tracks[1], 0, 1800)).isZero();
    }

    @Test
    void aBargeInCutsTheAgentAudioTheCallerHadNotHeardYet() throws Exception {
        // given an agent reply of 2 s handed over at 0.5 s at once
        CallRecorder recorder = recorder(RecordingChannels.DUAL);
        long start = nanos.get();
        for (int frame = 0; frame < 100; frame++) {
            at(start, (frame + 1) * 20L);
            recorder.caller(new short[FRAME], FRAME);
            if (frame == 24) {
                recorder.agent(tone(RATE * 2, 600), RATE * 2);
            }
            // when the caller barges in at 1.2 s
            if (frame == 59) {
                recorder.clear();
            }
        }

        // then the agent track holds the reply from 0.5 s to the barge-in, and silence after it
        short[][] tracks = channels(recorder.finish(), 2);
        assertThat(onsetMs(tracks[1])).isBetween(480L, 520L);
        assertThat(Recorded.rms(tracks[1], 600, 1150)).isGreaterThan(1000);
        assertThat(Recorded.rms(tracks[1], 1220, 2000)).isZero();
    }

    @Test
    void whenTheCallerSendsNothingTheAgentAudioStillLandsWhereItWasPlayed() throws Exception {
        // given a client that sends no audio while it listens
        CallRecorder recorder = recorder(RecordingChannels.DUAL);
        long start = nanos.get();
        at(start, 20);
        recorder.caller(new short[FRAME], FRAME);

        // when the agent speaks at 1.5 s
        at(start, 1500);
        recorder.agent(tone(FRAME * 10, 600), FRAME * 10);
        at(start, 1700);
        recorder.caller(new short[FRAME], FRAME);

        // then its audio is at 1.5 s, not right after the caller's last frame
        short[][] tracks = channels(recorder.finish(), 2);
        assertThat(onsetMs(tracks[1])).isBetween(1480L, 1520L);
    }

    @Test
    void agentAudioPlayedAfterTheCallersLastFrameIsKeptAtTheEnd() throws Exception {
        // given a caller whose last frame came at 0.5 s, and a 200 ms reply played from 0.6 s
        CallRecorder recorder = recorder(RecordingChannels.DUAL);
        long start = nanos.get();
        for (int frame = 0; frame < 25; frame++) {
            at(start, (frame + 1) * 20L);
            recorder.caller(new short[FRAME], FRAME);
        }
        at(start, 600);
        recorder.agent(tone(FRAME * 10, 600), FRAME * 10);

        // when the call ends at 2 s
        at(start, 2000);
        short[][] tracks = channels(recorder.finish(), 2);

        // then the whole reply is in the recording, which ends with it
        assertThat(onsetMs(tracks[1])).isBetween(480L, 620L);
        assertThat(Recorded.rms(tracks[1], (int) onsetMs(tracks[1]), (int) onsetMs(tracks[1]) + 195)).isGreaterThan(1000);
        assertThat(tracks[1].length).isEqualTo(tracks[0].length);
    }

    @Test
    void aMixedRecordingSumsBothSidesInOneChannel() throws Exception {
        // given a mixed recording where the caller speaks first and the agent after
        CallRecorder recorder = recorder(RecordingChannels.MIXED);
        long start = nanos.get();
        for (int frame = 0; frame < 100; frame++) {
            at(start, (frame + 1) * 20L);
            recorder.caller(frame < 25 ? tone(FRAME, 1000) : new short[FRAME], FRAME);
            if (frame >= 50 && frame < 75) {
                recorder.agent(tone(FRAME, 600), FRAME);
            }
        }

        // then one channel holds both, each in its place
        short[][] tracks = channels(recorder.finish(), 1);
        assertThat(Recorded.rms(tracks[0], 0, 480)).isGreaterThan(1000);
        assertThat(Recorded.rms(tracks[0], 560, 980)).isZero();
        assertThat(Recorded.rms(tracks[0], 1040, 1480)).isGreaterThan(1000);
    }

    @Test
    void aRecordingTheStoreCannotPublishFailsAndLeavesNoFile() throws Exception {
        // given a recording under way whose tenant directory disappears (a store gone bad)
        CallRecorder recorder = recorder(RecordingChannels.DUAL);
        recorder.caller(tone(FRAME, 1000), FRAME);
        try (var files = Files.walk(dir.resolve("acme"))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }

        // when the call ends, then the recording fails instead of the call, and nothing is left behind
        assertThatThrownBy(() -> recorder.finish().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @AfterEach
    void stopWriter() throws InterruptedException {
        writer.close();
    }

    private CallRecorder recorder(RecordingChannels channels) {
        return new CallRecorder(new FileRecordingStore(dir).create("acme", "call-1", "wav"), writer, channels,
                nanos::get);
    }

    private void at(long start, long ms) {
        nanos.set(start + ms * 1_000_000L);
    }

    private static short[] tone(int samples, int hz) {
        short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return pcm;
    }

    /** Reads the file with the JDK's WAV parser and splits its channels. */
    private static short[][] channels(CompletableFuture<CallRecorder.Result> finished, int expected)
            throws Exception {
        CallRecorder.Result result = finished.get(10, TimeUnit.SECONDS);
        assertThat(result.contentType()).isEqualTo("audio/wav");
        Path file = Path.of(URI.create(result.location()));
        assertThat(Files.size(file)).isEqualTo(result.bytes());
        short[][] tracks = Recorded.tracks(file, expected);
        assertThat(tracks[0].length * 1000L / RATE).isEqualTo(result.durationMs());
        return tracks;
    }

    private static long onsetMs(short[] track) {
        for (int i = 0; i < track.length; i++) {
            if (Math.abs(track[i]) > 500) {
                return i * 1000L / RATE;
            }
        }
        return -1;
    }
}
