package io.sipai.edge.session.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.sipai.common.EndReason;
import io.sipai.edge.events.CallEvents;
import io.sipai.edge.recording.CallRecorder;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.MediaTransport;
import io.sipai.edge.session.VoicePipeline;
import io.sipai.edge.wire.CloseCodes;
import io.sipai.events.CallEnded;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.telephony.TransferTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The life of one call from start to end: holds its pipeline, calls into it so that a pipeline failure ends the
 * call, keeps the state of a transfer under way, and ends the call once (pipeline closed, CallEnded written, slot
 * released, the call unregistered). {@link #end} may be called from any thread; the first call wins.
 */
final class CallLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(CallLifecycle.class);
    /** A transfer fails this long after the provider clients' own timeout (EDGE_TRANSFER_TIMEOUT_MS) at the latest. */
    private static final long TRANSFER_TIMEOUT_SLACK_MS = 1000;
    /** How long the end of a call waits for its pipeline to write what it still has to say. */
    private static final Duration PIPELINE_CLOSE_WAIT = Duration.ofSeconds(1);

    private final CallContext context;
    private final MediaTransport transport;
    private final boolean slotHeld;
    private final SessionServices services;
    private volatile CallRecorder recorder;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long startedNanos = System.nanoTime();
    private volatile VoicePipeline pipeline;
    private volatile TransferTarget transferringTo;

    CallLifecycle(CallContext context, MediaTransport transport, boolean slotHeld, SessionServices services) {
        this.context = context;
        this.transport = transport;
        this.slotHeld = slotHeld;
        this.services = services;
    }

    /** Records the call from now on; a call that ended meanwhile throws the recording away. */
    void record(CallRecorder callRecorder) {
        this.recorder = callRecorder;
        if (ended.get()) {
            // The end may not have seen the recorder: it finishes it if it did, and then this does nothing.
            callRecorder.abort();
        }
    }

    /** The call's recorder, or null when the call is not recorded. */
    CallRecorder recorder() {
        return recorder;
    }

    CallContext context() {
        return context;
    }

    void attach(VoicePipeline created) {
        this.pipeline = created;
    }

    /** The call's pipeline, or null while it is being created. */
    VoicePipeline pipeline() {
        return pipeline;
    }

    boolean ended() {
        return ended.get();
    }

    boolean holdsSlot() {
        return slotHeld;
    }

    /** Calls the pipeline unless it does not exist yet or the call ended; a failure ends the call. */
    void guard(Consumer<VoicePipeline> call) {
        VoicePipeline current = pipeline;
        if (current == null || ended.get()) {
            return;
        }
        // The call id on every log line the pipeline writes from here (the JSON logs carry the MDC).
        MDC.put(CallTracing.CALL_ID_MDC, context.callId());
        try {
            call.accept(current);
        } catch (RuntimeException e) {
            pipelineFailed(e);
        } finally {
            MDC.remove(CallTracing.CALL_ID_MDC);
        }
    }

    /** The pipeline threw: the call cannot go on, so it ends as ERROR and the connection closes with 1011. */
    void pipelineFailed(RuntimeException e) {
        LOG.error("pipeline of call {} failed", context.callId(), e);
        endAndClose(EndReason.ERROR, "pipeline failed: " + e.getClass().getSimpleName(), CloseCodes.INTERNAL,
                "internal error");
    }

    /** See {@link io.sipai.edge.session.CallSession#end}. */
    void end(EndReason reason, String detail) {
        finish(reason, detail, slotHeld);
    }

    /**
     * Admission answered a heartbeat saying it no longer holds the call's slot (it declared this node lost, or the
     * lease ran out): the call may not go on without one, so it ends as SLOT_EXPIRED and the connection closes with
     * {@link CloseCodes#SLOT_LOST}. No release is sent: there is nothing left to free.
     */
    void slotLost(String detail) {
        if (finish(EndReason.SLOT_EXPIRED, "admission no longer holds the slot"
                + (detail == null ? "" : ": " + detail), false)) {
            transport.close(CloseCodes.SLOT_LOST, "slot lost");
        }
    }

    /** Ends the call unless it already ended; true when this call ended it. */
    private boolean finish(EndReason reason, String detail, boolean release) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        TransferTarget transfer = transferringTo;
        if (reason == EndReason.CALLER_HANGUP && transfer != null) {
            reason = EndReason.TRANSFERRED;
            detail = "transferred to " + transfer.uri() + (detail == null ? "" : "; " + detail);
        }
        services.registry().remove(this);
        VoicePipeline current = pipeline;
        if (current != null) {
            try {
                // Bounded: the end must be written even if the pipeline is stuck.
                current.close(reason).toCompletableFuture().get(PIPELINE_CLOSE_WAIT.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("pipeline of call {} did not close within {}; its end is written now", context.callId(),
                        PIPELINE_CLOSE_WAIT);
            } catch (ExecutionException | RuntimeException e) {
                LOG.warn("pipeline of call {} failed to close: {}", context.callId(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
        services.publisher().publishTerminal(CallEvents.ended(context.ref(), CallEnded.newBuilder()
                .setReason(reason).setDetail(detail).setDurationMs(durationMs).build(), Instant.now()),
                services.traces().traceparent(context.callId()));
        services.traces().ended(context.callId(), reason);
        CallRecorder callRecorder = recorder;
        if (callRecorder != null) {
            // Finished only now: a file stored at once (a local disk) would otherwise announce itself before the
            // end, and the timeline takes artifacts after the end.
            services.recordings().finish(context, callRecorder, event -> services.publisher().publishTerminal(
                    CallEvents.envelope(context.ref(), event, Instant.now())));
        }
        if (release) {
            services.admission().release(context.slot(), reason.name());
        }
        LOG.info("call {} ended: {}{}", context.callId(), reason, detail == null ? "" : " (" + detail + ")");
        return true;
    }

    void endAndClose(EndReason reason, String detail, int closeCode, String closeReason) {
        end(reason, detail);
        transport.close(closeCode, closeReason);
    }

    /**
     * Hands the call to {@code target} through the transport. The target is remembered before the request goes
     * out, because the provider may end the stream before its answer arrives; a failed transfer forgets it again.
     */
    CompletableFuture<MediaTransport.Transferred> transfer(TransferTarget target) {
        if (ended.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the call already ended"));
        }
        transferringTo = target;
        return transport.transfer(target).orTimeout(services.settings().transferTimeoutMs()
                        + TRANSFER_TIMEOUT_SLACK_MS, TimeUnit.MILLISECONDS)
                .whenComplete((how, error) -> {
                    if (error != null) {
                        transferringTo = null;
                    }
                });
    }
}
