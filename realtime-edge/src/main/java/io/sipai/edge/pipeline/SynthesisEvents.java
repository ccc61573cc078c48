package io.sipai.edge.pipeline;

import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.internal.Playback;
import io.sipai.edge.pipeline.internal.Response;
import io.sipai.edge.tts.TextToSpeech;

/**
 * One call's synthesized speech. Audio goes straight to {@link Playback} on the synthesizer's thread, so the first
 * bytes do not wait for the actor, but only for the reply in progress (a volatile read; a reply that was interrupted
 * meanwhile is dropped) and for silence prompts. The end of a sentence moves onto the call's actor, where it counts
 * as progress and queues the sentence's mark. A synthesizer failure ends the call.
 */
final class SynthesisEvents implements TextToSpeech.AudioListener {

    private static final String PROMPT = "prompt-";
    /** Sentence ids of a voicemail message, said on its own like a silence prompt. */
    static final String VOICEMAIL = "voicemail-";

    private final PipelineParts parts;
    private final CallActor actor;
    private final Playback playback;
    private final ConversationEvents events;

    SynthesisEvents(PipelineParts parts, CallActor actor, Playback playback, ConversationEvents events) {
        this.parts = parts;
        this.actor = actor;
        this.playback = playback;
        this.events = events;
    }

    @Override
    public void audio(String sentenceId, short[] pcm16k, int length) {
        Response r = events.response();
        boolean prompt = standalone(sentenceId);
        if (prompt || r != null && r.indexOf(sentenceId) >= 0) {
            if (r != null && r.ttsFirstByteNanos == 0) {
                r.ttsFirstByteNanos = System.nanoTime();
            }
            playback.audio(pcm16k, length);
        }
    }

    @Override
    public void done(String sentenceId) {
        actor.execute(() -> {
            Response r = events.response();
            if (standalone(sentenceId) || r != null && r.indexOf(sentenceId) >= 0) {
                if (r != null && r.indexOf(sentenceId) >= 0) {
                    r.synthesized++;
                    r.lastProgressNanos = System.nanoTime();
                }
                playback.mark(sentenceId);
            }
        });
    }

    /** Speech that belongs to no reply: a silence prompt or a voicemail message. */
    private static boolean standalone(String sentenceId) {
        return sentenceId.startsWith(PROMPT) || sentenceId.startsWith(VOICEMAIL);
    }

    @Override
    public void failed(String error) {
        actor.execute(() -> events.vendorFailed(EngineMeters.Stage.TTS, "tts " + parts.tts().name() + ": " + error));
    }
}
