package io.sipai.edge.telephony.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.common.EventSource;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.runtime.admission.AdmissionClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims a call's media through the admission processor ({@link AdmissionClient#claimMedia}): a claim on
 * {@code call.admission.v1}, its answer from {@code call.admission-decisions.v1} (key callId). Admission records the
 * first claim per call in a changelogged store under exactly-once, so the answer is the same on every node and
 * after any restart: {@link TelephonyTokens.Result#VALID} when this connection holds the call's media,
 * {@link TelephonyTokens.Result#REPLAYED} when another one does. No answer within {@code EDGE_ADMISSION_TIMEOUT_MS}
 * (Kafka or admission down, or an admission that predates claims) is {@link TelephonyTokens.Result#UNAVAILABLE}, so
 * the connection is refused (fail closed). Each claim's round trip is timed by {@code edge.media.claims} (tag
 * {@code result}).
 */
public final class AdmissionMediaClaims implements TelephonyTokens.MediaClaims {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionMediaClaims.class);

    private final AdmissionClient admission;
    private final Duration timeout;
    private final MeterRegistry meters;

    public AdmissionMediaClaims(AdmissionClient admission, Duration timeout, MeterRegistry meters) {
        this.admission = admission;
        this.timeout = timeout;
        this.meters = meters;
    }

    @Override
    public TelephonyTokens.Result claim(String callId, String tenantId, String agentId, String connectionId,
                                        Instant tokenExpiresAt) {
        long started = System.nanoTime();
        TelephonyTokens.Result result = ask(new AdmissionClient.CallSlot(callId, tenantId, null, agentId,
                EventSource.REALTIME_EDGE), connectionId, tokenExpiresAt);
        Timer.builder("edge.media.claims").description("round trip of a media claim through admission")
                .tag("result", result.name()).register(meters).record(System.nanoTime() - started,
                        TimeUnit.NANOSECONDS);
        return result;
    }

    private TelephonyTokens.Result ask(AdmissionClient.CallSlot slot, String connectionId, Instant tokenExpiresAt) {
        try {
            // The client times out after the timeout itself; the extra second only guards against a lost completion.
            AdmissionDecision answer = admission.claimMedia(slot, connectionId, tokenExpiresAt)
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            if (answer.getOutcome() instanceof Granted
                    && connectionId.equals(answer.getMediaClaim().getConnectionId())) {
                return TelephonyTokens.Result.VALID;
            }
            LOG.warn("media token of call {} replayed: its media is claimed by connection {}", slot.callId(),
                    answer.getMediaClaim().getConnectionId());
            return TelephonyTokens.Result.REPLAYED;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("media claim of call {} not decided: {}", slot.callId(),
                    e instanceof ExecutionException ? e.getCause().toString() : e.toString());
            return TelephonyTokens.Result.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TelephonyTokens.Result.UNAVAILABLE;
        }
    }
}
