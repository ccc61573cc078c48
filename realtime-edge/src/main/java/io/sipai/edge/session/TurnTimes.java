package io.sipai.edge.session;

/**
 * When each step of one turn happened ({@link System#nanoTime()}; 0 when the step did not happen): the caller's
 * speech ended, the end of the turn was decided (after the endpointing silence), the final transcript arrived, the
 * brain was asked and gave its first token, the synthesizer was asked and gave its first audio, and that audio was
 * sent to the caller. A pipeline hands it to {@link SessionOutput#traceTurn} with the turn's TurnMetrics.
 */
public record TurnTimes(int turn, long speechEnd, long endOfTurn, long asrFinal, long llmRequest, long llmFirstToken,
                        long ttsRequest, long ttsFirstAudio, long audioSent) {
}
