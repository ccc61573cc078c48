package io.sipai.edge.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

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
 * {@code RECORDINGS_STORE} names a store) and turns a finished recording into its RecordingAvailable event. A
 * recording that fails is logged and counted; the call goes on without it.
 */
public final class Recordings {

    private static final Logger LOG = LoggerFactory.getLogger(Recordings.class);

    private final RecordingStore store;
    private final Counter completed;
    private final Counter failed;
    private final Counter bytes;
    private boolean warnedNoStore;

    /** @param store the store, or null when none is configured */
    public Recordings(RecordingStore store, MeterRegistry meters) {
        this.store = store;
        this.completed = Counter.builder("edge.recordings.completed").description("call recordings stored")
                .register(meters);
        this.failed = Counter.builder("edge.recordings.failed")
                .description("call recordings that could not be written").register(meters);
        this.bytes = Counter.builder("edge.recordings.bytes").baseUnit("bytes")
                .description("bytes of call recordings stored").register(meters);
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
            return Optional.of(new CallRecorder(store.create(context.tenantId(), context.callId(), "wav"),
                    settings.getChannels(), System::nanoTime));
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            failed.increment();
            LOG.warn("call {} is not recorded: {}", context.callId(), e.toString());
            return Optional.empty();
        }
    }

    /** Finishes a call's recording; its event, or empty when it could not be stored. */
    public Optional<RecordingAvailable> finish(CallContext context, CallRecorder recorder) {
        try {
            CallRecorder.Result result = recorder.finish();
            completed.increment();
            bytes.increment(result.bytes());
            return Optional.of(RecordingAvailable.newBuilder().setUri(result.location())
                    .setContentType(result.contentType()).setDurationMs(result.durationMs()).build());
        } catch (IOException | UncheckedIOException e) {
            failed.increment();
            LOG.warn("recording of call {} is lost: {}", context.callId(), e.toString());
            return Optional.empty();
        }
    }

    private synchronized void warnNoStore(CallContext context) {
        if (!warnedNoStore) {
            warnedNoStore = true;
            LOG.warn("agent {} asks for call recordings but RECORDINGS_STORE is not set on this edge: call {} and "
                    + "later ones are not recorded", context.agentId(), context.callId());
        }
    }
}
