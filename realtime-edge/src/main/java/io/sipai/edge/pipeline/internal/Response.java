package io.sipai.edge.pipeline.internal;

import java.util.ArrayList;
import java.util.List;

import io.sipai.edge.brain.AgentBrain;

/** One agent reply in progress: what was sent to speech, what the caller acknowledged, and its timings. */
public final class Response {

    public final String utteranceId;
    public final int turn;
    public final SentenceSplitter splitter = new SentenceSplitter();
    public final List<String> sentences = new ArrayList<>();
    public final List<AgentBrain.ToolCall> toolCalls = new ArrayList<>();
    public final List<AgentBrain.ToolResult> toolResults = new ArrayList<>();
    public final long requestNanos = System.nanoTime();
    public AgentBrain.Reply reply;
    public int acked;
    public int synthesized;
    public boolean brainDone;
    public boolean endCall;
    public boolean utteranceEmitted;
    public int pendingTools;
    /** A transfer to run once everything before it was played, or null. */
    public PendingTransfer transfer;
    public boolean transferStarted;
    public long firstTokenNanos;
    public long ttsRequestNanos;
    public long ttsFirstByteNanos;
    public long lastProgressNanos = System.nanoTime();

    public Response(String utteranceId, int turn) {
        this.utteranceId = utteranceId;
        this.turn = turn;
    }

    /** Id of the n-th sentence (also its playback mark). */
    public String sentenceId(int index) {
        return utteranceId + "#" + index;
    }

    /** Index of a sentence id of this response, or -1. */
    public int indexOf(String sentenceId) {
        if (sentenceId == null || !sentenceId.startsWith(utteranceId + "#")) {
            return -1;
        }
        try {
            return Integer.parseInt(sentenceId.substring(utteranceId.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String text() {
        return String.join(" ", sentences);
    }

    public String heardText() {
        return String.join(" ", sentences.subList(0, Math.min(acked, sentences.size())));
    }

    /** Whether every sentence was spoken and acknowledged and the brain is done. */
    public boolean played() {
        return brainDone && acked >= sentences.size();
    }
}
