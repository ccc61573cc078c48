package io.sipai.processors.admission;

import static io.sipai.testing.events.Events.acquire;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Heartbeat;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.EventSource;
import io.sipai.common.MediaClaim;
import io.sipai.processors.admission.internal.AdmissionTopology;
import io.sipai.processors.testing.Drivers;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.CounterKeys;
import io.sipai.schemas.Topics;
import io.sipai.schemas.telephony.TelephonyToken;
import io.sipai.testing.events.Events;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deployment-wide single use of per-call media tokens: the admission task decides realtime-edge's claims of a
 * call's media (first claim wins, a retry of the winner is answered the same, any other connection is refused, a
 * claim is forgotten once its token expired), on the TopologyTestDriver with a mock wall clock.
 */
class MediaClaimsTest {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    /** What the processor allows for edges whose clocks run behind its own (MediaClaims.CLOCK_SKEW). */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private TopologyTestDriver driver;
    private TestInputTopic<String, AdmissionCommand> commands;
    private TestOutputTopic<String, AdmissionDecision> decisions;
    private TestOutputTopic<String, QuarantinedRecord> quarantine;

    @BeforeEach
    void start() {
        driver = Drivers.driver(AdmissionTopology.build(AdmissionSettings.of(100, 100, 100, TTL)), "claims-test");
        commands = Drivers.input(driver, Topics.CALL_ADMISSION);
        decisions = Drivers.output(driver, Topics.CALL_ADMISSION_DECISIONS);
        quarantine = Drivers.output(driver, Topics.CALL_QUARANTINE);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static AdmissionCommand claim(String callId, String connectionId, Instant tokenExpiresAt) {
        return AdmissionCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setCallId(callId)
                .setTenantId("t1").setIssuedAt(Events.T0).setSource(EventSource.REALTIME_EDGE)
                .setCommand(new Heartbeat()).setMediaClaim(new MediaClaim(connectionId, tokenExpiresAt)).build();
    }

    private AdmissionDecision send(AdmissionCommand command) {
        commands.pipeInput(Topics.ADMISSION_KEY, command);
        return decisions.readValue();
    }

    private static Instant tokenExpiry() {
        return Events.T0.plus(TOKEN_LIFETIME);
    }

    @Test
    void theFirstClaimOfACallsMediaIsGrantedAndNamesItsConnection() {
        // given a call's valid token presented on edge-a
        AdmissionCommand first = claim("call-1", "edge-a/1", tokenExpiry());

        // when edge-a claims the call's media
        AdmissionDecision answer = send(first);

        // then the claim is granted to edge-a's connection, answered to the claim's command
        assertThat(answer.getOutcome()).isInstanceOf(Granted.class);
        assertThat(answer.getCommandId()).isEqualTo(first.getCommandId());
        assertThat(answer.getCallId()).isEqualTo("call-1");
        assertThat(answer.getMediaClaim().getConnectionId()).isEqualTo("edge-a/1");
        assertThat(answer.getDecidedAt()).isEqualTo(Events.T0);
    }

    @Test
    void aRetryOfTheSameClaimGetsTheSameAnswer() {
        // given edge-a's connection holds the call's media
        AdmissionDecision first = send(claim("call-1", "edge-a/1", tokenExpiry()));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // when the same connection's claim arrives again (a retry, with a new command id)
        AdmissionCommand retry = claim("call-1", "edge-a/1", tokenExpiry());
        AdmissionDecision again = send(retry);

        // then it is granted again, with the first decision's time, and answered to the retry's command
        assertThat(again.getOutcome()).isInstanceOf(Granted.class);
        assertThat(again.getCommandId()).isEqualTo(retry.getCommandId());
        assertThat(again.getDecidedAt()).isEqualTo(first.getDecidedAt());
        assertThat(again.getMediaClaim()).isEqualTo(first.getMediaClaim());
    }

    @Test
    void anotherConnectionPresentingTheSameCallsTokenIsRefusedNamingTheHolder() {
        // given edge-a's connection holds the call's media
        send(claim("call-1", "edge-a/1", tokenExpiry()));
        driver.advanceWallClockTime(Duration.ofSeconds(30));

        // when edge-b (or edge-a after a restart) claims it with a replayed token
        AdmissionDecision replay = send(claim("call-1", "edge-b/7", tokenExpiry()));

        // then the claim is refused, and the answer names the connection that holds the media
        Rejected refused = (Rejected) replay.getOutcome();
        assertThat(refused.getLimit()).isEqualTo(AdmissionLimit.UNKNOWN);
        assertThat(refused.getDetail()).contains("edge-a/1").contains("already used");
        assertThat(replay.getMediaClaim().getConnectionId()).isEqualTo("edge-a/1");
        // and the holder still holds it
        assertThat(send(claim("call-1", "edge-a/1", tokenExpiry())).getOutcome()).isInstanceOf(Granted.class);
    }

    @Test
    void claimsOfDifferentCallsAreIndependentAndTakeNoSlot() {
        // given a call holding a slot
        send(acquire("call-1", "t1", null));

        // when two calls' media are claimed
        AdmissionDecision one = send(claim("call-1", "edge-a/1", tokenExpiry()));
        AdmissionDecision two = send(claim("call-2", "edge-b/1", tokenExpiry()));

        // then both are granted, and no slot was taken or freed by a claim
        assertThat(one.getOutcome()).isInstanceOf(Granted.class);
        assertThat(two.getOutcome()).isInstanceOf(Granted.class);
        KeyValueStore<String, Integer> counters = driver.getKeyValueStore(AdmissionTopology.COUNTERS_STORE);
        assertThat(counters.get(CounterKeys.GLOBAL)).isEqualTo(1);
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void aClaimIsRememberedUntilItsTokenExpiredAndTheSkewAllowancePassedThenForgotten() {
        // given edge-a's connection holds the call's media
        send(claim("call-1", "edge-a/1", tokenExpiry()));
        KeyValueStore<String, Object> claims = driver.getKeyValueStore(AdmissionTopology.CLAIMS_STORE);

        // when the token's lifetime and almost all of the skew allowance pass
        driver.advanceWallClockTime(TOKEN_LIFETIME.plus(CLOCK_SKEW).minusSeconds(2));

        // then the claim still refuses another connection (an edge whose clock runs behind still takes the token)
        assertThat(send(claim("call-1", "edge-b/1", tokenExpiry())).getOutcome()).isInstanceOf(Rejected.class);
        assertThat(claims.get("call-1")).isNotNull();

        // and once the allowance has passed too, the punctuation forgets it: nothing is kept for the call
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(claims.get("call-1")).isNull();
    }

    @Test
    void aClaimNamingAnExpiryBeyondTheLongestTokenLifetimeIsForgottenAfterThatLifetime() {
        // given a claim whose token names an expiry a day ahead (no valid token does; the bound holds anyway)
        send(claim("call-1", "edge-a/1", Events.T0.plus(Duration.ofDays(1))));
        KeyValueStore<String, Object> claims = driver.getKeyValueStore(AdmissionTopology.CLAIMS_STORE);

        // when the longest token lifetime and the skew allowance have passed
        driver.advanceWallClockTime(TelephonyToken.MAX_LIFETIME.plus(CLOCK_SKEW).plusSeconds(2));

        // then the claim is forgotten
        assertThat(claims.get("call-1")).isNull();
    }

    @Test
    void aClaimWithoutAConnectionIdIsQuarantined() {
        // when a claim names no connection
        commands.pipeInput(Topics.ADMISSION_KEY, claim("call-1", " ", tokenExpiry()));

        // then it is quarantined, not answered
        assertThat(decisions.isEmpty()).isTrue();
        assertThat(quarantine.readValue().getReason()).contains("mediaClaim.connectionId");
    }
}
