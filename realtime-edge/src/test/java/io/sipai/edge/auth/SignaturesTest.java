package io.sipai.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The credentials of sipai's own protocol: API keys and signed URLs. */
class SignaturesTest {

    @Test
    void apiKeysResolveTheirTenant() {
        ApiKeys keys = new ApiKeys("plain-key-123, acme:acme-key-456");
        assertThat(keys.tenantOf("plain-key-123")).isEqualTo(ApiKeys.DEFAULT_TENANT);
        assertThat(keys.tenantOf("acme-key-456")).isEqualTo("acme");
        assertThat(keys.tenantOf("acme:acme-key-456")).isNull();
        assertThat(keys.tenantOf("")).isNull();
    }

    @Test
    void signedUrlsExpireAndAreBoundToPathAndTenant() {
        SignedUrls urls = new SignedUrls("0123456789abcdef-secret");
        Instant now = Instant.ofEpochSecond(1_000_000);
        String sig = urls.sign("/realtime/voice", "acme", 1_000_060);
        assertThat(urls.verify("/realtime/voice", "acme", "1000060", sig, now)).isEqualTo(SignedUrls.Result.VALID);
        assertThat(urls.verify("/realtime/voice", "other", "1000060", sig, now))
                .isEqualTo(SignedUrls.Result.INVALID);
        assertThat(urls.verify("/v1/realtime/voice", "acme", "1000060", sig, now))
                .isEqualTo(SignedUrls.Result.INVALID);
        assertThat(urls.verify("/realtime/voice", "acme", "1000060", sig, now.plusSeconds(61)))
                .isEqualTo(SignedUrls.Result.EXPIRED);
    }
}
