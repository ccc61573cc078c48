package io.sipai.edge.recording;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.config.RecordingSettings;
import io.sipai.edge.session.CallContext;
import io.sipai.events.RecordingAvailable;
import io.sipai.runtime.recordings.RecordingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's call recording: starts a {@link CallRecorder} for each call whose agent asks for one (when
 * {@code RECORDINGS_STORE} names a store), with the node's {@link RecordingWriter}, and turns a stored recording
 * into its RecordingAvailable event. A recording that fails is logged and counted; the call goes on without it.
 */
public final class Recordings {

    private static final Logger LOG = LoggerFactory.getLogger(Recordings.class);

    private final RecordingStore store;
    private final RecordingWriter writer;
    private final Counter completed;
    private final Counter failed;
    private final Counter bytes;
    private boolean warnedNoStore;

    /** @param store the store, or null when none is configured */
    public Recordings(RecordingStore store, RecordingWriter writer, MeterRegistry meters) {
        this.store = store;
        this.writer = writer;
        this.completed = Counter.builder("edge.recordings.completed").description("call recordings stored")
                .register(meters);
        this.failed = Counter.builder("edge.recordings.failed")
                .description("call recordings that could not be written").register(meters);
        this.bytes = Counter.builder("edge.recordings.bytes").baseUnit("bytes")
                .description("bytes of call recordings stored").register(meters);
        if (store != null) {
            sweepAbandoned(store);
        }
    }

    /** What recordings of calls this node or an earlier run of it lost left behind (a day old: no call runs that long). */
    private static void sweepAbandoned(RecordingStore store) {
        try {
            int swept = store.deleteAbandoned(Instant.now().minus(Duration.ofDays(1)), 10_000);
            if (swept > 0) {
                LOG.info("deleted {} pieces of recordings that were never completed", swept);
            }
        } catch (UncheckedIOException e) {
            LOG.warn("cannot sweep abandoned recordings: {}", e.toString());
        }
    }

    /** A recorder for the call, or empty when it is not to be recorded. */
    public Optional<CallRecorder> start(CallContext context) {
        RecordingSettings settings = context.agent() == null ? null : context.agent().getRecording();
        if (settings == null || !settings.getEnabled()) {
            return Optional.empty();
        }
        if (store == null) {
            warnNoStore(context);
            return Optional.empty();
        }
        try {
            return Optional.of(new CallRecorder(store.create(context.tenantId(), context.callId(), "wav"), writer,
                    settings.getChannels(), System::nanoTime));
        } catch (UncheckedIOException | IllegalArgumentException e) {
            failed.increment();
            LOG.warn("call {} is not recorded: {}", context.callId(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Finishes a call's recording without waiting for the store; {@code stored} gets its event once the file is
     * published (on the writer's thread). A recording that could not be stored is logged and counted.
     */
    public void finish(CallContext context, CallRecorder recorder, Consumer<RecordingAvailable> stored) {
        recorder.finish().whenComplete((result, error) -> {
            if (error != null) {
                failed.increment();
                LOG.warn("recording of call {} is lost: {}", context.callId(), error.toString());
                return;
            }
            completed.increment();
            bytes.increment(result.bytes());
            stored.accept(RecordingAvailable.newBuilder().setUri(result.location())
                    .setContentType(result.contentType()).setDurationMs(result.durationMs()).build());
        });
    }

    private synchronized void warnNoStore(CallContext context) {
        if (!warnedNoStore) {
            warnedNoStore = true;
            LOG.warn("agent {} asks for call recordings but RECORDINGS_STORE is not set on this edge: call {} and "
                    + "later ones are not recorded", context.agentId(), context.callId());
        }
    }
}
