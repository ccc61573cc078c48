package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.telephony.TelephonyToken;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/realtime/sessions}: a single-use WebSocket URL of realtime-edge for one new call of the key's
 * tenant with one of its agents, carrying a token realtime-edge verifies with the shared secret.
 */
class RealtimeSessionsTest extends GatewayTest {

    @Test
    void aSessionIsAnEdgeUrlWhoseTokenBindsANewCallOfTheTenantToTheAgentForAMinute() {
        // given an agent of the root tenant
        String agentId = call("POST", "/v1/agents", ADMIN_KEY, Map.of("name", "Talker")).json().get("id")
                .stringValue();

        // when a session is asked for
        Instant before = Instant.now();
        Answer session = call("POST", "/v1/realtime/sessions", ADMIN_KEY, Map.of("agentId", agentId));

        // then it is the edge's voice URL with the call, the tenant and a token for both and the agent
        assertThat(session.status()).isEqualTo(201);
        assertThat(session.header("Cache-Control")).isEqualTo("no-store");
        String callId = session.json().get("callId").stringValue();
        assertThat(callId).startsWith("web-");
        assertThat(session.json().get("agentId").stringValue()).isEqualTo(agentId);
        URI url = URI.create(session.json().get("url").stringValue());
        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath())
                .isEqualTo("ws://127.0.0.1:8081/realtime/voice");
        Map<String, String> query = Arrays.stream(url.getQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
        assertThat(query).containsEntry("callId", callId).containsEntry("tenantId", "default");
        TelephonyToken.Verification token = new TelephonyToken(TOKEN_SECRET).verify(callId, "default",
                query.get("token"), Instant.now());
        assertThat(token.check()).isEqualTo(TelephonyToken.Check.VALID);
        assertThat(token.agentId()).isEqualTo(agentId);
        Instant expiresAt = Instant.parse(session.json().get("expiresAt").stringValue());
        assertThat(Duration.between(before, expiresAt)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(65));
        assertThat(Instant.ofEpochSecond(token.expiry())).isEqualTo(expiresAt.truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS));

        // and each session is a new call
        assertThat(call("POST", "/v1/realtime/sessions", ADMIN_KEY, Map.of("agentId", agentId)).json()
                .get("callId").stringValue()).isNotEqualTo(callId);
    }

    @Test
    void anUnknownAgentIsNotFoundAndAMissingOneIsAFieldError() {
        Answer unknown = call("POST", "/v1/realtime/sessions", ADMIN_KEY, Map.of("agentId", "agt_nobody"));
        assertThat(unknown.status()).isEqualTo(404);
        Answer missing = call("POST", "/v1/realtime/sessions", ADMIN_KEY, Map.of());
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("field").stringValue()).isEqualTo("agentId");
        assertThat(call("POST", "/v1/realtime/sessions", null, Map.of("agentId", "x")).status()).isEqualTo(401);
    }
}
