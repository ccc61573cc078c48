package io.sipai.edge.tts;

/**
 * A text-to-speech provider. Each call opens one {@link Stream}; sentences are synthesized in the order they are
 * spoken and their audio (PCM16 16 kHz mono) is delivered to the {@link AudioListener} as it is produced.
 */
public interface TextToSpeech {

    /** Provider name for logs and errors. */
    String name();

    /** Opens the synthesis stream of one call. Never blocks on the network. */
    Stream open(String callId, String voice, AudioListener listener);

    /** Synthesis for one call. Methods may be called from any thread and return quickly. */
    interface Stream extends AutoCloseable {

        /** Queues a sentence; its audio follows the audio of earlier sentences. */
        void speak(String sentenceId, String text);

        /** Drops every queued sentence and any audio not yet delivered (barge-in). */
        void clear();

        @Override
        void close();
    }

    /** Receives synthesized audio from the provider's threads. */
    interface AudioListener {

        /** Audio of a sentence; the array may be reused after the call returns. */
        void audio(String sentenceId, short[] pcm16k, int length);

        /** All audio of the sentence was delivered. */
        void done(String sentenceId);

        /** The provider failed; the stream is unusable. */
        void failed(String error);
    }
}
