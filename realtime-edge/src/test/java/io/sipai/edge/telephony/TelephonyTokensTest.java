package io.sipai.edge.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import io.sipai.schemas.telephony.TelephonyToken;
import org.junit.jupiter.api.Test;

/** The edge's single-use layer over the shared token contract (whose format is pinned in schemas' tests). */
class TelephonyTokensTest {

    private static final String SECRET = "a-shared-secret-of-32-characters";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final TelephonyToken gateway = new TelephonyToken(SECRET);
    private final TelephonyTokens tokens = new TelephonyTokens(SECRET, 3);

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
        TelephonyTokens unconfigured = new TelephonyTokens(" ", 3);
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
}
