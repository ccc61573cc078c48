package io.sipai.processors.admission.internal;

import java.time.Duration;
import java.time.Instant;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.schemas.telephony.TelephonyToken;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deployment-wide single use of the per-call telephony media tokens: realtime-edge claims a call's media for one
 * connection ({@code AdmissionCommand.mediaClaim}) when that connection presents a valid token, and the first claim
 * per call wins. Runs in the admission task (input {@code call.admission.v1}, one partition, so every claim of a
 * call is decided in one order), keeps the claims in the changelogged {@code admission-media-claims} store (key
 * callId) and answers each claim on {@code call.admission-decisions.v1} (key callId) with the recorded claim:
 * Granted for its own connection (a retry with the same connection id gets the same answer), Rejected naming the
 * holder for any other. Under exactly-once the store change, the answer and the input offset commit together, so
 * a claim survives restarts and failovers and no two connections are ever both told they hold a call's media.
 *
 * <p>Bounded: a claim is forgotten {@link #CLOCK_SKEW} after its token expires (the edges refuse an expired token
 * themselves; the allowance covers their clocks running behind this one), and never later than
 * {@link TelephonyToken#MAX_LIFETIME} plus that after it was made, whatever expiry the claim names; the wall-clock
 * punctuation forgets at most {@value #BATCH} due claims per run through the {@link ExpiryIndex}.
 */
final class MediaClaims {

    /** How far a realtime-edge clock may run behind this processor's without reopening a forgotten claim. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Most due claims forgotten per punctuation. */
    static final int BATCH = 500;

    private final KeyValueStore<String, MediaClaim> claims;
    private final ExpiryIndex expiry;

    MediaClaims(KeyValueStore<String, MediaClaim> claims, ExpiryIndex expiry) {
        this.claims = claims;
        this.expiry = expiry;
    }

    /**
     * Decides {@code command}'s claim at {@code now}: records it when it is the call's first, and answers with the
     * recorded one. {@code counters} are the call's tenant and campaign counts, which every decision carries.
     */
    AdmissionDecision claim(AdmissionCommand command, long now, AdmissionCounters counters) {
        io.sipai.common.MediaClaim asked = command.getMediaClaim();
        MediaClaim held = claims.get(command.getCallId());
        if (held == null) {
            long tokenExpiry = asked.getTokenExpiresAt().toEpochMilli();
            long forgetAt = Math.min(Math.max(tokenExpiry, now), now + TelephonyToken.MAX_LIFETIME.toMillis())
                    + CLOCK_SKEW.toMillis();
            held = new MediaClaim(asked.getConnectionId(), tokenExpiry, now, forgetAt);
            claims.put(command.getCallId(), held);
            expiry.add(forgetAt, command.getCallId());
        }
        Object outcome = held.connectionId().equals(asked.getConnectionId())
                ? new Granted(counters, Instant.ofEpochMilli(held.forgetAt()))
                : new Rejected(AdmissionLimit.UNKNOWN, "the media of call " + command.getCallId()
                + " is served by connection " + held.connectionId() + " since "
                + Instant.ofEpochMilli(held.claimedAt()) + ": its per-call token was already used", counters);
        return AdmissionDecision.newBuilder(Decisions.of(command, held.claimedAt(), outcome))
                .setMediaClaim(new io.sipai.common.MediaClaim(held.connectionId(),
                        Instant.ofEpochMilli(held.tokenExpiresAt())))
                .build();
    }

    /** Forgets up to {@value #BATCH} claims due by {@code now}; the next run resumes where this one stopped. */
    void forget(long now) {
        for (ExpiryIndex.Due due : expiry.due(now, BATCH)) {
            expiry.remove(due.expiresAt(), due.callId());
            MediaClaim held = claims.get(due.callId());
            if (held != null && held.forgetAt() == due.expiresAt()) {
                claims.delete(due.callId());
            }
        }
    }
}
