package io.sipai.edge.asr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.asr.TranscriptListener;
import io.sipai.edge.brain.Script;
import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.codec.Resampler;
import io.sipai.edge.tts.MaryEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The offline recognizer is shared by every call of an agent's grammar, one turn after another: what it transcribes
 * for a call must depend on that call's audio alone, never on the calls it decoded before. The recordings are the
 * offline TTS's voice as callers send it: clean, over a phone line (8 kHz mu-law), shouted into a hot microphone,
 * whispered.
 */
@Isolated("its transcripts are compared across calls: no other test's recognizers decode in this JVM meanwhile")
class OfflineRecognitionIsolationTest {

    private static final String SCRIPT = """
            {"greeting": "Hello",
             "slots": {"day": {"values": ["today", "tomorrow", "monday", "friday"]},
                       "hour": {"values": ["nine", "ten", "eleven", "noon"]}},
             "start": "main",
             "states": {
               "main": {"intents": [{"name": "book", "phrases": ["i would like to book an appointment"],
                                     "reply": "Sure.", "goto": "when"}]},
               "when": {"intents": [{"name": "time", "patterns": ["{day} at {hour}"], "reply": "Ok.",
                                     "goto": "confirm"}]},
               "confirm": {"intents": [{"name": "yes", "phrases": ["yes", "yeah"], "reply": "Bye.", "end": true},
                                       {"name": "no", "phrases": ["no"], "reply": "When?", "goto": "when"}]}}}""";

    private static MaryEngine mary;
    private static Map<String, short[]> recordings;

    @BeforeAll
    static void recordCallers() throws Exception {
        mary = new MaryEngine(1);
        short[] book = withSilence(mary.synthesize("I would like to book an appointment", null));
        short[] friday = withSilence(mary.synthesize("friday at eleven", null));
        short[] yes = withSilence(mary.synthesize("yes", null));
        recordings = new LinkedHashMap<>();
        recordings.put("booking, clean", book);
        recordings.put("booking, phone line", phoneLine(book));
        recordings.put("yes, phone line", phoneLine(yes));
        recordings.put("friday at eleven, shouted", gain(friday, 8));
        recordings.put("friday at eleven, whispered", gain(friday, 0.02));
        recordings.put("friday at eleven, phone line", phoneLine(friday));
    }

    @AfterAll
    static void stopTts() {
        mary.close();
    }

    @Test
    void theSameRecordingIsTranscribedAlikeWhateverCallsTheRecognizerDecodedBefore() throws Exception {
        try (SphinxEngine engine = new SphinxEngine(1)) {
            SpeechToText recognizer = engine.forGrammar(JsgfGrammar.of(Script.parse(SCRIPT)));
            // given: each recording transcribed in a call of its own, in this order, by a recognizer that heard
            // nothing before
            Map<String, String> first = new LinkedHashMap<>();
            for (Map.Entry<String, short[]> recording : recordings.entrySet()) {
                first.put(recording.getKey(), transcribe(recognizer, recording.getValue()));
            }
            // when: the same recordings come again in later calls, each after other callers' speech
            List<String> later = new ArrayList<>(recordings.keySet());
            List<String> mismatches = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                java.util.Collections.reverse(later);
                for (String name : later) {
                    String again = transcribe(recognizer, recordings.get(name));
                    if (!again.equals(first.get(name))) {
                        mismatches.add(name + ": first \"" + first.get(name) + "\", later \"" + again + "\"");
                    }
                }
            }
            // then: every call of a recording got the same transcript, and the clean ones the right one
            assertThat(mismatches).as("transcripts that changed with the calls before them").isEmpty();
            assertThat(first).containsEntry("booking, clean", "i would like to book an appointment")
                    .containsEntry("booking, phone line", "i would like to book an appointment")
                    .containsEntry("friday at eleven, phone line", "friday at eleven");
        }
    }

    /** One call: its own stream, the whole recording as one turn, the final transcript. */
    private static String transcribe(SpeechToText recognizer, short[] audio) throws Exception {
        CompletableFuture<String> transcript = new CompletableFuture<>();
        SpeechToText.Stream call = recognizer.open("call", new TranscriptListener() {
            @Override
            public void partial(String text, float confidence, long startMs, long endMs) {
            }

            @Override
            public void fin(String text, float confidence, long startMs, long endMs, boolean endOfTurn) {
                transcript.complete(text);
            }

            @Override
            public void failed(String error) {
                transcript.completeExceptionally(new IllegalStateException(error));
            }
        });
        short[] frame = new short[320];
        long offsetMs = 0;
        for (int i = 0; i + frame.length <= audio.length; i += frame.length, offsetMs += 20) {
            System.arraycopy(audio, i, frame, 0, frame.length);
            call.audio(frame, frame.length, offsetMs);
        }
        call.endOfTurn(0, offsetMs);
        try {
            return transcript.get(60, TimeUnit.SECONDS);
        } finally {
            call.close();
        }
    }

    /** A second of silence on either side, as a turn has around the speech. */
    private static short[] withSilence(short[] speech) {
        short[] out = new short[speech.length + 32_000];
        System.arraycopy(speech, 0, out, 16_000, speech.length);
        return out;
    }

    private static short[] gain(short[] audio, double factor) {
        short[] out = new short[audio.length];
        for (int i = 0; i < audio.length; i++) {
            out[i] = (short) Math.clamp(Math.round(audio[i] * factor), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        return out;
    }

    /** Down to 8 kHz, through mu-law and back up to 16 kHz, as a Twilio caller's audio reaches the pipeline. */
    private static short[] phoneLine(short[] audio) {
        Resampler down = new Resampler(16_000, 8_000);
        short[] narrow = new short[down.maxOutput(audio.length)];
        int length = down.resample(audio, audio.length, narrow);
        for (int i = 0; i < length; i++) {
            narrow[i] = MuLaw.decode(MuLaw.encode(narrow[i]));
        }
        Resampler up = new Resampler(8_000, 16_000);
        short[] wide = new short[up.maxOutput(length)];
        return Arrays.copyOf(wide, up.resample(narrow, length, wide));
    }
}
