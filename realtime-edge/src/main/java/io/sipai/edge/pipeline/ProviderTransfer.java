package io.sipai.edge.pipeline;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

import io.sipai.common.EndReason;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.internal.PendingTransfer;
import io.sipai.edge.pipeline.internal.Response;
import io.sipai.edge.session.MediaTransport;
import io.sipai.edge.session.SessionOutput;

/**
 * The {@code transfer_call} flow of one call, started once the reply that asked for it has played: the transport's
 * provider is asked to transfer ({@link SessionOutput#transfer}); back on the call's actor, success stops the
 * conversation and ends the call as TRANSFERRED when the provider ends the stream (at once for the own protocol;
 * after the grace period, {@link VoiceSettings#transferGraceMs()}, if the provider never does), and failure goes to
 * the brain as the tool's result, so the caller is never left in silence. Writes the transfer's ToolCallCompleted,
 * also when the caller spoke before the transfer started. Used on the call's actor only.
 */
final class ProviderTransfer {

    private final SessionOutput output;
    private final CallActor actor;
    private final long graceMs;
    private final ConversationEvents events;
    private ScheduledFuture<?> grace;

    /**
     * @param graceMs how long the provider may take to end the stream after it accepted the transfer
     * @param events  told when the provider took the call ({@link ConversationEvents#handedOver}), and when the
     *                transfer failed and its error is among the reply's tool results, so the reply carries on
     *                and the brain answers the error ({@link ConversationEvents#settled})
     */
    ProviderTransfer(SessionOutput output, CallActor actor, long graceMs, ConversationEvents events) {
        this.output = output;
        this.actor = actor;
        this.graceMs = graceMs;
        this.events = events;
    }

    /** Starts the transfer {@code r} holds, once; {@code r} must hold one and have played. */
    void start(Response r) {
        if (r.transferStarted) {
            return;
        }
        r.transferStarted = true;
        PendingTransfer transfer = r.transfer;
        output.transfer(transfer.target()).whenComplete((how, error) -> actor.execute(() ->
                done(r, transfer, how, error)));
    }

    /** {@code r} was interrupted: a transfer it held and had not started yet will not happen. */
    void interrupted(Response r) {
        if (r.transfer != null && !r.transferStarted) {
            output.emit(ToolCalls.completed(r.transfer.call(), false, null,
                    "not transferred: the caller spoke before the transfer started", 0));
        }
    }

    /** The call ended: the grace period, if running, is moot. */
    void close() {
        if (grace != null) {
            grace.cancel(false);
        }
    }

    private void done(Response r, PendingTransfer transfer, MediaTransport.Transferred how, Throwable error) {
        long durationMs = (System.nanoTime() - transfer.requestedNanos()) / 1_000_000;
        if (error == null) {
            output.emit(ToolCalls.completed(transfer.call(), true, PipelineParts.json(Map.of("transferred", true,
                    "target", transfer.target().uri())), null, durationMs));
            events.handedOver();
            String detail = "transferred to " + transfer.target().uri();
            if (how == MediaTransport.Transferred.END_NOW) {
                output.hangup(EndReason.TRANSFERRED, detail);
            } else {
                grace = actor.schedule(() -> output.hangup(EndReason.TRANSFERRED, detail
                        + "; the provider did not end the stream"), graceMs);
            }
            return;
        }
        Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
        String message = "transfer failed: " + (cause instanceof TimeoutException ? "the provider did not answer"
                : cause.getMessage());
        output.emit(ToolCalls.completed(transfer.call(), false, null, message, durationMs));
        r.transfer = null;
        r.toolResults.add(new AgentBrain.ToolResult(transfer.call(), false, PipelineParts.json(Map.of("error",
                message))));
        events.settled(r);
    }
}
