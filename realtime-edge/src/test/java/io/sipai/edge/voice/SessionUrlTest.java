package io.sipai.edge.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Session URLs on {@code /realtime/voice} (minted by api-gateway's {@code POST /v1/realtime/sessions}): a single-use
 * token lets a browser in without an API key, once in the deployment, bound to the session's call and agent.
 */
class SessionUrlTest extends EdgeIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private String sessionPath(String callId, String tenantId, String token) {
        return "/realtime/voice?callId=" + callId + "&tenantId=" + tenantId + "&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    @Test
    void aSessionUrlLetsAClientInOnceAndTheCallIsTheSessions() {
        // given a session URL for a call of tenant acme with agent-1
        String callId = "web-" + UUID.randomUUID();
        String path = sessionPath(callId, "acme", token(callId, "acme", "agent-1"));

        // when a client opens it with no API key and starts without naming the call
        try (WsClient client = WsClient.connect(ws(path))) {
            client.text("{\"t\":\"start\",\"v\":1}");

            // then the call is the session's
            JsonNode connected = JSON.readTree(client.nextText());
            assertThat(connected.path("t").asString()).isEqualTo("connected");
            assertThat(connected.path("callId").asString()).isEqualTo(callId);
            client.text("{\"t\":\"stop\"}");
            assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1000);
        }
        // and the same URL does not open a second time
        assertThatThrownBy(() -> WsClient.connect(ws(path)))
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, e -> assertThat(e.status).isEqualTo(403));
    }

    @Test
    void aStartNamingAnotherAgentOrCallThanTheSessionsIsRefused() {
        // given two session URLs
        String first = "web-" + UUID.randomUUID();
        String second = "web-" + UUID.randomUUID();

        // when the start names another agent, or another call, then the connection is closed 4003
        try (WsClient client = WsClient.connect(ws(sessionPath(first, "acme", token(first, "acme", "agent-1"))))) {
            client.text("{\"t\":\"start\",\"agentId\":\"agent-2\"}");
            assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4003);
        }
        try (WsClient client = WsClient.connect(ws(sessionPath(second, "acme", token(second, "acme", "agent-1"))))) {
            client.text("{\"t\":\"start\",\"callId\":\"" + first + "\"}");
            assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4003);
        }
    }

    @Test
    void aTokenOfAnotherCallOrTenantAndAGarbledOneAreRefusedBeforeTheUpgrade() {
        // given a token minted for one call of acme
        String callId = "web-" + UUID.randomUUID();
        String token = token(callId, "acme", "agent-1");

        // when it is presented for another call, for another tenant, or garbled, then no socket opens
        assertRefused(sessionPath("web-" + UUID.randomUUID(), "acme", token), 403);
        assertRefused(sessionPath(callId, "default", token), 403);
        assertRefused(sessionPath(callId, "acme", "v2.garbled"), 401);
    }

    private void assertRefused(String path, int status) {
        assertThatThrownBy(() -> WsClient.connect(ws(path)))
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, e -> assertThat(e.status).isEqualTo(status));
    }
}
