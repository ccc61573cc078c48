package io.sipai.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Per-key rate limit: past the burst a key gets 429 with Retry-After, while another key is unaffected. */
@TestPropertySource(properties = {"api.rate-limit-per-second=1", "api.rate-limit-burst=3",
    "api.rate-limit-scope=instance"})
class RateLimitTest extends GatewayTest {

    @Test
    void burstAboveTheLimitIs429WithRetryAfter() {
        // given
        String key = newTenant("limited");
        // when
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(call("GET", "/v1/agents", key, null));
        }
        // then
        Answer limited = answers.getLast();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.json().get("type").stringValue()).endsWith("/rate-limited");
        assertThat(call("GET", "/v1/health", null, null).status()).isEqualTo(200);
    }
}
