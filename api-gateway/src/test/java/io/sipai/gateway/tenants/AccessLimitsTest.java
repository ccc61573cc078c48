package io.sipai.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Limits that hold before and beyond a single API key: failed authentications per client address (throttled
 * before any key is looked up; behind the trusted proxy 127.0.0.1 the address is the right-most
 * X-Forwarded-For hop it appended), a tenant's requests across all its keys, and the number of active keys a
 * tenant may hold. Small limits so a few requests reach them.
 */
@TestPropertySource(properties = {"api.auth-failures-per-minute=1", "api.auth-failure-burst=3",
    "api.trusted-proxies=127.0.0.1,10.0.0.0/8", "api.tenant-rate-limit-per-second=1",
    "api.tenant-rate-limit-burst=6", "api.rate-limit-per-second=50", "api.rate-limit-burst=20",
    "api.rate-limit-scope=instance", "api.max-keys-per-tenant=3"})
class AccessLimitsTest extends GatewayTest {

    @Autowired
    private MeterRegistry meters;

    @Test
    void badKeysFromOneAddressAre429WithRetryAfterBeforeAnyKeyLookup() {
        // given an address that has used up its 3 failed authentications
        String client = "203.0.113.7";
        List<Answer> failures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            failures.add(from(client, "sk_guess_" + i));
        }
        double lookups = lookups();
        // when it keeps guessing, also behind other spoofed hops
        Answer throttled = from(client, "sk_guess_next");
        Answer spoofed = send(request("sk_guess_spoofed").header("X-Forwarded-For", "198.51.100.1, " + client)
                .build());
        // then
        assertThat(failures).extracting(Answer::status).containsOnly(401);
        assertThat(List.of(throttled, spoofed)).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.json().get("type").stringValue()).endsWith("/authentication-throttled");
            assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(1L, 60L);
        });
        assertThat(lookups()).isEqualTo(lookups);
        assertThat(from("203.0.113.8", "sk_guess_elsewhere").status()).isEqualTo(401);
    }

    @Test
    void aTenantsKeysShareOneLimitSoMoreKeysDoNotMultiplyIt() {
        // given a tenant with three keys, each far below its own limit of 20
        String admin = newTenant("aggregate");
        List<String> keys = List.of(admin, newKey(admin, List.of("read")), newKey(admin, List.of("read")));
        // when the keys take turns
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            answers.add(call("GET", "/v1/agents", keys.get(i % 3), null));
        }
        // then the tenant's burst of 6 (2 of it spent creating the keys) runs out for all of them together
        Answer limited = answers.getLast();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("type").stringValue()).endsWith("/rate-limited");
        assertThat(limited.json().get("detail").stringValue()).contains("tenant");
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        // (4 unless the machine is so slow that the tenant's 1 request/s refilled some in between)
        assertThat(answers.stream().filter(answer -> answer.status() == 200).count()).isBetween(4L, 6L);
    }

    @Test
    void aTenantHoldsAtMostTheCappedNumberOfActiveKeys() {
        // given a tenant at its cap of 3 active keys (its initial admin key and two more)
        String admin = newTenant("capped");
        Answer second = call("POST", "/v1/api-keys", admin, Map.of("name", "two", "scopes", List.of("read")));
        call("POST", "/v1/api-keys", admin, Map.of("name", "three", "scopes", List.of("read")));
        // when
        Answer fourth = call("POST", "/v1/api-keys", admin, Map.of("name", "four", "scopes", List.of("read")));
        call("DELETE", "/v1/api-keys/" + second.json().get("id").stringValue(), admin, null);
        Answer afterRevoke = call("POST", "/v1/api-keys", admin, Map.of("name", "five", "scopes",
                List.of("read")));
        // then
        assertThat(fourth.status()).isEqualTo(409);
        assertThat(fourth.json().get("type").stringValue()).endsWith("/api-key-limit");
        assertThat(fourth.json().get("maxActiveKeys").intValue()).isEqualTo(3);
        assertThat(afterRevoke.status()).isEqualTo(201);
    }

    private Answer from(String client, String key) {
        return send(request(key).header("X-Forwarded-For", client).build());
    }

    private HttpRequest.Builder request(String key) {
        return HttpRequest.newBuilder(uri("/v1/agents")).header("X-API-Key", key).GET();
    }

    private double lookups() {
        return meters.get("sipai.gateway.api_key.lookups").counter().count();
    }
}
