package io.sipai.gateway.calls.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.gateway.calls.CallEnds;
import io.sipai.gateway.calls.Calls;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.gateway.problems.Failures;
import io.sipai.runtime.events.CallEventEnvelope.CallRef;
import io.sipai.runtime.events.CallEventEnvelope;
import io.sipai.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes the CallEnded of calls the gateway gave up on ({@link CallEnds}) to {@code call.events.v1}, keyed by
 * callId, with the gateway's one producer: the call's CallRequested went out on the same producer to the same
 * partition before it, so the end follows the request in the log even when the request itself is still being
 * retried. The wait for the acknowledgement is short ({@value #ACKNOWLEDGEMENT_WAIT_MS} ms): in a broker outage the
 * producer keeps retrying the record while the caller answers its client.
 */
@Component
public class CallEndWriter implements CallEnds {

    private static final Logger LOG = LoggerFactory.getLogger(CallEndWriter.class);
    private static final long ACKNOWLEDGEMENT_WAIT_MS = 2000;

    private final RecordPublisher publisher;
    private final Calls calls;
    private final Clock clock;

    public CallEndWriter(RecordPublisher publisher, Calls calls, Clock clock) {
        this.publisher = publisher;
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public void gaveUp(CallRef call, Instant requestedAt, EndReason reason, String detail) {
        Instant now = clock.instant();
        long durationMs = Math.max(0, Duration.between(requestedAt, now).toMillis());
        CallEvent event = CallEventEnvelope.of(call, EventSource.API_GATEWAY, CallEnds.eventId(call.callId()), now,
                new CallEnded(reason, detail, durationMs));
        LOG.info("call {} given up: {} ({})", call.callId(), reason, detail);
        try {
            publisher.send(Topics.CALL_EVENTS, call.callId(), event).get(ACKNOWLEDGEMENT_WAIT_MS,
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("CallEnded of call {} not acknowledged within {} ms; the producer keeps sending it",
                    call.callId(), ACKNOWLEDGEMENT_WAIT_MS);
        } catch (ExecutionException e) {
            LOG.error("CallEnded of call {} could not be written: {}", call.callId(), Failures.describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("CallEnded of call {} could not be sent: {}", call.callId(), Failures.describe(e));
        }
        try {
            calls.ended(call.callId());
        } catch (RuntimeException e) {
            // The projection of the CallEnded shows the end once the database is back.
            LOG.warn("call {} not recorded as ended: {}", call.callId(), Failures.describe(e));
        }
    }
}
