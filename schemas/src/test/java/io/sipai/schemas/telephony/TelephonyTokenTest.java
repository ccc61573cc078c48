package io.sipai.schemas.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import io.sipai.schemas.telephony.TelephonyToken.Check;
import org.junit.jupiter.api.Test;

class TelephonyTokenTest {

    private static final String SECRET = "sipai-telephony-test-secret-0001";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final TelephonyToken tokens = new TelephonyToken(SECRET);

    @Test
    void theTokenIsThePinnedVectorOfTheDocumentedHmac() {
        // computed independently: python3 hmac.new(secret, b"v2\ncall-1\nt1\nagent-7\n1767225660", sha256) and the
        // agent id, each base64url without padding
        assertThat(tokens.mint("call-1", "t1", "agent-7", Instant.ofEpochSecond(1767225660)))
                .isEqualTo("v2.1767225660.YWdlbnQtNw.qnWBs_JQqzxy3FrrPwXZWH0fgfVbKoGGmHc6XJRsNlM");
        assertThat(tokens.mint("call-1", "t1", Instant.ofEpochSecond(1767225660)))
                .isEqualTo("v2.1767225660..K-nHwvAsREAT7WXewwggn6LC6vA_YjO9FVgdQ3DQjMg");
    }

    @Test
    void theVerifiedTokenNamesTheAgentItWasMintedFor() {
        String token = tokens.mint("call-1", "t1", "agent-7", NOW.plusSeconds(60));
        assertThat(tokens.verify("call-1", "t1", token, NOW).agentId()).isEqualTo("agent-7");
        assertThat(tokens.verify("call-1", "t1", tokens.mint("call-1", "t1", NOW.plusSeconds(60)), NOW).agentId())
                .isNull();
    }

    @Test
    void aTokenWhoseAgentWasSwappedOrThatPredatesAgentsIsRefused() {
        String token = tokens.mint("call-1", "t1", "agent-7", NOW.plusSeconds(60));
        String swapped = token.replace(".YWdlbnQtNw.", ".YWdlbnQtOA.");
        assertThat(tokens.verify("call-1", "t1", swapped, NOW).check()).isEqualTo(Check.WRONG_CALL);
        assertThat(tokens.verify("call-1", "t1", "v1.1767225660.VKosYToq07E9huVtQs7pz7jV3oFoZMo5mTyy8ZI5x9I",
                Instant.ofEpochSecond(1767225600)).check()).isEqualTo(Check.MALFORMED);
    }

    @Test
    void aFreshTokenVerifiesForItsCallAndTenantAndNamesItsExpiry() {
        String token = tokens.mint("call-1", "t1", NOW.plusSeconds(60));
        TelephonyToken.Verification verification = tokens.verify("call-1", "t1", token, NOW);
        assertThat(verification.check()).isEqualTo(Check.VALID);
        assertThat(verification.expiry()).isEqualTo(NOW.getEpochSecond() + 60);
        assertThat(token).endsWith("." + verification.signature());
    }

    @Test
    void aTokenForAnotherCallTenantOrSecretIsRefused() {
        String token = tokens.mint("call-1", "t1", NOW.plusSeconds(60));
        assertThat(tokens.verify("call-2", "t1", token, NOW).check()).isEqualTo(Check.WRONG_CALL);
        assertThat(tokens.verify("call-1", "t2", token, NOW).check()).isEqualTo(Check.WRONG_CALL);
        assertThat(new TelephonyToken(SECRET + "x").verify("call-1", "t1", token, NOW).check())
                .isEqualTo(Check.WRONG_CALL);
    }

    @Test
    void expiredMissingMalformedAndTooLongLivedTokensAreRefused() {
        assertThat(tokens.verify("c", "t", tokens.mint("c", "t", NOW.minusSeconds(1)), NOW).check())
                .isEqualTo(Check.EXPIRED);
        assertThat(tokens.verify("c", "t", null, NOW).check()).isEqualTo(Check.MISSING);
        assertThat(tokens.verify("c", null, "v1.1.x", NOW).check()).isEqualTo(Check.MISSING);
        assertThat(tokens.verify("c", "t", "v2.1.abc", NOW).check()).isEqualTo(Check.MALFORMED);
        assertThat(tokens.verify("c", "t", "v2.1.a+b.abc", NOW).check()).isEqualTo(Check.MALFORMED);
        assertThat(tokens.verify("c", "t", "1767225660.abc", NOW).check()).isEqualTo(Check.MALFORMED);
        assertThat(tokens.verify("c", "t", tokens.mint("c", "t", NOW.plus(TelephonyToken.MAX_LIFETIME)
                .plusSeconds(1)), NOW).check()).isEqualTo(Check.MALFORMED);
    }

    @Test
    void aBlankSecretIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new TelephonyToken(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
