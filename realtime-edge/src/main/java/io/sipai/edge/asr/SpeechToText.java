package io.sipai.edge.asr;

/**
 * A speech-to-text provider. Each call opens one {@link Stream}; the stream receives every 20 ms frame of caller
 * audio and reports transcripts to its {@link TranscriptListener} from the provider's own threads.
 */
public interface SpeechToText {

    /** Engine name written into TranscriptChunk.engine (deepgram, sphinx-grammar, ...). */
    String engine();

    /** Opens the recognition stream of one call. Never blocks on the network. */
    Stream open(String callId, TranscriptListener listener);

    /** The recognition of one call. Methods may be called from any thread and return quickly. */
    interface Stream extends AutoCloseable {

        /** One frame of PCM16 16 kHz mono caller audio starting at {@code offsetMs}; copied if kept. */
        void audio(short[] frame, int length, long offsetMs);

        /**
         * The pipeline decided the caller's turn is over (VAD silence). The stream delivers the final transcript
         * of the audio between {@code startMs} and {@code endMs} as soon as it can, with {@code endOfTurn=true}, or
         * an empty final when nothing was recognized.
         */
        void endOfTurn(long startMs, long endMs);

        /** Releases the provider connection. */
        @Override
        void close();
    }
}
