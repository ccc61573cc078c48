package io.sipai.edge.asr;

/** Receives what a {@link SpeechToText.Stream} recognized; called from the provider's threads. */
public interface TranscriptListener {

    /** An interim result; later results revise it. */
    void partial(String text, float confidence, long startMs, long endMs);

    /**
     * A final result.
     *
     * @param endOfTurn whether the recognizer also detected the end of the caller's turn (endpointing, utterance
     *                  end, or the answer to {@link SpeechToText.Stream#endOfTurn})
     */
    void fin(String text, float confidence, long startMs, long endMs, boolean endOfTurn);

    /** The provider failed; the stream is unusable. */
    void failed(String error);
}
