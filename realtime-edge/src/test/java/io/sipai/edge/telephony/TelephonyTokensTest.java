package io.sipai.edge.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sipai.schemas.telephony.TelephonyToken;
import org.junit.jupiter.api.Test;

/**
 * The edge's single-use layer over the shared token contract (whose format is pinned in schemas' tests), with the
 * deployment-wide claim stood in for by a map (first claim per call wins); the real claim, across nodes and
 * restarts, is proven by system-tests' MediaTokenReplayTest.
 */
class TelephonyTokensTest {

    private static final String SECRET = "a-shared-secret-of-32-characters";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final TelephonyToken gateway = new TelephonyToken(SECRET);
    /** callId -> the connection that claimed its media, shared by every node of these tests. */
    private final Map<String, String> deployment = new ConcurrentHashMap<>();
    private final List<String> claimedBy = new CopyOnWriteArrayList<>();
    private volatile boolean admissionDown;
    private final TelephonyTokens.MediaClaims claims = (callId, tenantId, agentId, connectionId, expiresAt) -> {
        claimedBy.add(connectionId);
        if (admissionDown) {
            return TelephonyTokens.Result.UNAVAILABLE;
        }
        return deployment.computeIfAbsent(callId, id -> connectionId).equals(connectionId)
                ? TelephonyTokens.Result.VALID : TelephonyTokens.Result.REPLAYED;
    };
    private final TelephonyTokens tokens = new TelephonyTokens(SECRET, 3, claims, "edge-a");

    @Test
    void aTokenTheGatewayMintedIsAcceptedOnceForItsCall() {
        String token = gateway.mint("call-1", "t1", NOW.plusSeconds(60));
        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.VALID);
        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.REPLAYED);
    }

    @Test
    void aTokenForAnotherCallOrTenantIsRefusedAndNotConsumed() {
        String token = gateway.mint("call-1", "t1", NOW.plusSeconds(60));
        assertThat(tokens.verify("call-2", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.WRONG_CALL);
        assertThat(tokens.verify("call-1", "t2", token, NOW)).isEqualTo(TelephonyTokens.Result.WRONG_CALL);
        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.VALID);
    }

    @Test
    void expiredMissingMalformedAndUnconfiguredAreRefused() {
        assertThat(tokens.verify("c", "t", gateway.mint("c", "t", NOW.minusSeconds(1)), NOW))
                .isEqualTo(TelephonyTokens.Result.EXPIRED);
        assertThat(tokens.verify("c", "t", null, NOW)).isEqualTo(TelephonyTokens.Result.MISSING);
        assertThat(tokens.verify("c", "t", "v2.1.abc", NOW)).isEqualTo(TelephonyTokens.Result.MALFORMED);
        assertThat(tokens.verify("c", "t", gateway.mint("c", "t", NOW.plusSeconds(7200)), NOW))
                .isEqualTo(TelephonyTokens.Result.MALFORMED);
        TelephonyTokens unconfigured = new TelephonyTokens(" ", 3, claims, "edge-a");
        assertThat(unconfigured.configured()).isFalse();
        assertThat(unconfigured.verify("c", "t", gateway.mint("c", "t", NOW.plusSeconds(60)), NOW))
                .isEqualTo(TelephonyTokens.Result.MALFORMED);
    }

    @Test
    void theUsedTokenCacheIsBoundedAndForgetsExpiredTokens() {
        for (int i = 0; i < 3; i++) {
            String token = gateway.mint("call-" + i, "t", NOW.plusSeconds(10));
            assertThat(tokens.verify("call-" + i, "t", token, NOW)).isEqualTo(TelephonyTokens.Result.VALID);
        }
        String fourth = gateway.mint("call-4", "t", NOW.plusSeconds(100));
        assertThat(tokens.verify("call-4", "t", fourth, NOW)).isEqualTo(TelephonyTokens.Result.CACHE_FULL);
        assertThat(tokens.verify("call-4", "t", fourth, NOW.plusSeconds(11))).isEqualTo(TelephonyTokens.Result.VALID);
    }

    @Test
    void aTokenUsedOnAnotherNodeIsRefusedReplayedByTheDeploymentWideClaim() {
        // given a token used on edge-b
        String token = gateway.mint("call-1", "t1", NOW.plusSeconds(60));
        TelephonyTokens edgeB = new TelephonyTokens(SECRET, 3, claims, "edge-b");
        assertThat(edgeB.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.VALID);

        // when it is presented on edge-a, whose own cache never saw it
        TelephonyTokens.Result replay = tokens.verify("call-1", "t1", token, NOW);

        // then the claim refuses it, and the claims named each node's own connection
        assertThat(replay).isEqualTo(TelephonyTokens.Result.REPLAYED);
        assertThat(replay.refusalStatus().value()).isEqualTo(403);
        assertThat(replay.closeCode()).isEqualTo(4003);
        assertThat(claimedBy).hasSize(2);
        assertThat(claimedBy.get(0)).startsWith("edge-b/");
        assertThat(claimedBy.get(1)).startsWith("edge-a/");
    }

    @Test
    void aReplayOnTheSameNodeIsRefusedByItsCacheWithoutAClaim() {
        String token = gateway.mint("call-1", "t1", NOW.plusSeconds(60));
        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.VALID);

        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.REPLAYED);
        assertThat(claimedBy).hasSize(1);
    }

    @Test
    void anUndecidedClaimRefusesTheConnectionAsUnavailableAndDoesNotSpendTheToken() {
        // given admission cannot decide
        String token = gateway.mint("call-1", "t1", NOW.plusSeconds(60));
        admissionDown = true;

        // when the token is presented
        TelephonyTokens.Result refused = tokens.verify("call-1", "t1", token, NOW);

        // then the connection is refused 503 / 1013 (fail closed)
        assertThat(refused).isEqualTo(TelephonyTokens.Result.UNAVAILABLE);
        assertThat(refused.refusalStatus().value()).isEqualTo(503);
        assertThat(refused.closeCode()).isEqualTo(1013);
        // and once admission is back the token can still be used once, claimed with the same connection id (so a
        // claim admission recorded after the edge gave up grants the retry)
        admissionDown = false;
        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.VALID);
        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.REPLAYED);
        assertThat(claimedBy).hasSize(2).containsOnly(claimedBy.getFirst());
    }

    @Test
    void aRetryOnTheSameNodeIsGrantedWhenTheUndecidedClaimWasRecordedAfterAll() {
        // given a claim admission recorded, but answered too late for the edge
        String token = gateway.mint("call-1", "t1", NOW.plusSeconds(60));
        TelephonyTokens.MediaClaims late = (callId, tenantId, agentId, connectionId, expiresAt) -> {
            TelephonyTokens.Result decided = claims.claim(callId, tenantId, agentId, connectionId, expiresAt);
            return claimedBy.size() == 1 ? TelephonyTokens.Result.UNAVAILABLE : decided;
        };
        TelephonyTokens edge = new TelephonyTokens(SECRET, 3, late, "edge-a");
        assertThat(edge.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.UNAVAILABLE);

        // when the provider connects again with the token on the same node
        TelephonyTokens.Result retry = edge.verify("call-1", "t1", token, NOW);

        // then the retry is granted, not refused as a replay of its own first try
        assertThat(retry).isEqualTo(TelephonyTokens.Result.VALID);
    }
}
