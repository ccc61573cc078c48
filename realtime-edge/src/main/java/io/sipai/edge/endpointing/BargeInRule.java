package io.sipai.edge.endpointing;

/**
 * When caller speech during the agent's reply interrupts it: once it has gone on for {@code minSpeechMs}, unless it
 * may still be a backchannel ("uh-huh", "yeah", "right"): speech shorter than {@code backchannelMs} interrupts only
 * when its words take the turn ({@link Utterances#takesTheTurn}), so an acknowledgement does not cut the agent off.
 * A backchannel window of 0 interrupts on any speech of the minimum length.
 *
 * @param minSpeechMs   speech needed before playback stops
 * @param backchannelMs speech shorter than this, whose words are no more than a backchannel, does not interrupt
 */
public record BargeInRule(int minSpeechMs, int backchannelMs) {

    /**
     * How much longer to listen before interrupting; 0: interrupt now.
     *
     * @param heardMs        how long the caller's speech has gone on
     * @param wordsTakeTurn  whether the recognizer heard a word in it that is not a backchannel
     */
    public long moreMs(long heardMs, boolean wordsTakeTurn) {
        long minimum = minSpeechMs - heardMs;
        if (minimum > 0) {
            return minimum;
        }
        long backchannel = backchannelMs - heardMs;
        return backchannel > 0 && !wordsTakeTurn ? backchannel : 0;
    }
}
