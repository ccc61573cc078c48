package io.sipai.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.UUID;

import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Credentials a client sends (in the query, as it would on a WebSocket URL, or in headers) never reach the
 * gateway's log, whatever the request ends in: accepted, unauthenticated, not found, malformed, or refused by the
 * HTTP server itself (which logs the request target).
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsTest extends GatewayTest {

    @Test
    void secretsInQueriesAndHeadersAreNotLogged(CapturedOutput output) {
        // given
        String secret = "sk_logged_" + UUID.randomUUID().toString().replace("-", "");
        String query = "?api_key=" + secret + "&token=" + secret + "&sig=" + secret + "&signature=" + secret;
        // when
        call("GET", "/v1/agents" + query, ADMIN_KEY, null);
        call("GET", "/v1/agents" + query, secret, null);
        call("GET", "/v1/nothing-here" + query, ADMIN_KEY, null);
        call("POST", "/v1/agents" + query, ADMIN_KEY, "{not json");
        send(HttpRequest.newBuilder(uri("/telephony/twilio/voice" + query)).header("X-Twilio-Signature", secret)
                .header("Authorization", "Bearer " + secret).POST(HttpRequest.BodyPublishers.ofString("a=b"))
                .header("Content-Type", "application/x-www-form-urlencoded").build());
        send(HttpRequest.newBuilder(uri("/v1/agents" + query)).header("X-Oversize", "a".repeat(9_000)).GET()
                .build());
        // then
        assertThat(output.getAll()).doesNotContain(secret).contains("api_key=[REDACTED]");
    }
}
