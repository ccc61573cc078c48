package io.sipai.runtime.admission;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionLimit;

/**
 * How this instance's requests for call slots were answered: granted, rejected by the limit admission names
 * (global, tenant, campaign, ...), or unavailable (no decision in time), and the same on each request's span.
 * Bounded labels. Thread-safe.
 */
final class AcquireMeters {

    private static final String NAME = "admission.acquires";
    private static final String DESCRIPTION = "requests for a call slot, by how admission answered";

    private final Counter granted;
    private final Counter unavailable;
    private final Map<AdmissionLimit, Counter> rejected = new EnumMap<>(AdmissionLimit.class);

    AcquireMeters(MeterRegistry meters) {
        this.granted = Counter.builder(NAME).tag("outcome", "granted").tag("limit", "none").description(DESCRIPTION)
                .register(meters);
        this.unavailable = Counter.builder(NAME).tag("outcome", "unavailable").tag("limit", "none")
                .description(DESCRIPTION).register(meters);
        for (AdmissionLimit limit : AdmissionLimit.values()) {
            rejected.put(limit, Counter.builder(NAME).tag("outcome", "rejected")
                    .tag("limit", limit.name().toLowerCase(Locale.ROOT)).description(DESCRIPTION).register(meters));
        }
    }

    /** Ends a request's span (null: not traced) with how admission answered. */
    static void end(Span span, AdmissionDecision decision, Throwable failure) {
        if (span == null) {
            return;
        }
        if (failure != null) {
            span.setAttribute("sipai.admission.outcome", "unavailable").setStatus(StatusCode.ERROR,
                    String.valueOf(failure.getMessage()));
        } else if (decision.getOutcome() instanceof Rejected rejection) {
            span.setAttribute("sipai.admission.outcome", "rejected")
                    .setAttribute("sipai.admission.limit", rejection.getLimit().name());
        } else {
            span.setAttribute("sipai.admission.outcome", "granted");
        }
        span.end();
    }

    void record(AdmissionDecision decision, Throwable failure) {
        if (failure != null) {
            unavailable.increment();
        } else if (decision.getOutcome() instanceof Rejected rejection) {
            rejected.get(rejection.getLimit()).increment();
        } else {
            granted.increment();
        }
    }
}
