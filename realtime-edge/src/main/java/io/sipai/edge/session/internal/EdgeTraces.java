package io.sipai.edge.session.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.sipai.common.EndReason;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.TurnTimes;
import io.sipai.runtime.tracing.CallTracing;

/**
 * The traces of this edge's live calls ({@link CallTrace}), by call id. With tracing off nothing is kept and every
 * method returns at once.
 */
public final class EdgeTraces {

    private final CallTracing tracing;
    private final String node;
    private final Map<String, CallTrace> live = new ConcurrentHashMap<>();

    public EdgeTraces(CallTracing tracing, String node) {
        this.tracing = tracing;
        this.node = node;
    }

    public void started(CallContext call) {
        if (tracing.on()) {
            live.put(call.callId(), CallTrace.start(tracing, call, node));
        }
    }

    /** The {@code traceparent} the call's events carry, or null. */
    public String traceparent(String callId) {
        CallTrace trace = live(callId);
        return trace == null ? null : trace.traceparent();
    }

    public void observe(String callId, Object payload) {
        CallTrace trace = live(callId);
        if (trace != null) {
            trace.observe(payload);
        }
    }

    public void turn(String callId, TurnTimes times) {
        CallTrace trace = live(callId);
        if (trace != null) {
            trace.turn(times);
        }
    }

    /** The call's trace, or null; an empty map (tracing off) is not even hashed into. */
    private CallTrace live(String callId) {
        return live.isEmpty() ? null : live.get(callId);
    }

    public void ended(String callId, EndReason reason) {
        CallTrace trace = live.isEmpty() ? null : live.remove(callId);
        if (trace != null) {
            trace.end(reason);
        }
    }
}
