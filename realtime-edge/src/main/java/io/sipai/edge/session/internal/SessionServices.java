package io.sipai.edge.session.internal;

import java.time.Instant;

import io.sipai.edge.EdgeSettings;
import io.sipai.edge.events.CallEventPublisher;
import io.sipai.edge.events.CallEvents;
import io.sipai.edge.recording.Recordings;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.EdgeMetrics;
import io.sipai.runtime.admission.AdmissionClient;

/**
 * What a live call needs from the node, and nothing more: its settings, the event log, the admission slot, the
 * registry of live calls, the meters, call recording and the calls' traces.
 */
public record SessionServices(EdgeSettings settings, CallEventPublisher publisher, AdmissionClient admission,
                              CallRegistry registry, EdgeMetrics metrics, Recordings recordings,
                              EdgeTraces traces) {

    /** Writes an ordinary event of the call, in the call's trace; never blocks. */
    void emit(CallContext context, Object payload) {
        traces.observe(context.callId(), payload);
        publisher.publish(CallEvents.envelope(context.ref(), payload, Instant.now()),
                traces.traceparent(context.callId()));
    }
}
