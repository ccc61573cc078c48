package io.sipai.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TelephonyTokensTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final TelephonyTokens tokens = new TelephonyTokens("a-shared-secret-of-length", 3);

    @Test
    void aFreshTokenIsAcceptedOnceForItsCall() {
        String token = tokens.mint("call-1", "t1", NOW.plusSeconds(60));
        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.VALID);
        assertThat(tokens.verify("call-1", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.REPLAYED);
    }

    @Test
    void aTokenForAnotherCallOrTenantIsRefused() {
        String token = tokens.mint("call-1", "t1", NOW.plusSeconds(60));
        assertThat(tokens.verify("call-2", "t1", token, NOW)).isEqualTo(TelephonyTokens.Result.WRONG_CALL);
        assertThat(tokens.verify("call-1", "t2", token, NOW)).isEqualTo(TelephonyTokens.Result.WRONG_CALL);
    }

    @Test
    void expiredMissingAndMalformedTokensAreRefused() {
        assertThat(tokens.verify("c", "t", tokens.mint("c", "t", NOW.minusSeconds(1)), NOW))
                .isEqualTo(TelephonyTokens.Result.EXPIRED);
        assertThat(tokens.verify("c", "t", null, NOW)).isEqualTo(TelephonyTokens.Result.MISSING);
        assertThat(tokens.verify("c", "t", "v2.1.abc", NOW)).isEqualTo(TelephonyTokens.Result.MALFORMED);
        assertThat(tokens.verify("c", "t", tokens.mint("c", "t", NOW.plusSeconds(7200)), NOW))
                .isEqualTo(TelephonyTokens.Result.MALFORMED);
    }

    @Test
    void theTokenFormatIsTheDocumentedHmac() {
        String token = tokens.mint("call-1", "t1", Instant.ofEpochSecond(1767225660));
        String expected = "v1.1767225660." + Hmac.sha256Url("a-shared-secret-of-length", "v1\ncall-1\nt1\n1767225660");
        assertThat(token).isEqualTo(expected);
    }

    @Test
    void theUsedTokenCacheIsBoundedAndForgetsExpiredTokens() {
        for (int i = 0; i < 3; i++) {
            String token = tokens.mint("call-" + i, "t", NOW.plusSeconds(10));
            assertThat(tokens.verify("call-" + i, "t", token, NOW)).isEqualTo(TelephonyTokens.Result.VALID);
        }
        String fourth = tokens.mint("call-4", "t", NOW.plusSeconds(100));
        assertThat(tokens.verify("call-4", "t", fourth, NOW)).isEqualTo(TelephonyTokens.Result.CACHE_FULL);
        assertThat(tokens.verify("call-4", "t", fourth, NOW.plusSeconds(11))).isEqualTo(TelephonyTokens.Result.VALID);
    }
}
