package io.sipai.edge.pipeline.internal;

import io.sipai.edge.brain.AgentBrain;
import io.sipai.schemas.telephony.TransferTarget;

/**
 * A {@code transfer_call} the brain asked for, waiting for the reply's speech to finish playing.
 *
 * @param call           the brain's tool call (its ToolCallCompleted is written when the provider answered)
 * @param target         the tool's configured target
 * @param requestedNanos when the tool was requested, for the ToolCallCompleted duration
 */
public record PendingTransfer(AgentBrain.ToolCall call, TransferTarget target, long requestedNanos) {
}
