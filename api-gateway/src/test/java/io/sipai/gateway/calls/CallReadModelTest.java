package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A call is readable from the moment it is requested: as the gateway requested it (version 0) until its timeline is
 * projected, then as the projection shows it, keeping the provider and the provider's call id that only the
 * request knows. A list shows the call once either way.
 */
class CallReadModelTest extends GatewayTest {

    @Test
    void givenAPlacedCall_whenItsTimelineIsProjected_thenTheCallShowsTheProjectionWithItsProviderCallSid() {
        // given
        String key = newTenant("read-model");
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", newAgent(key), "provider", "twilio"));
        String callId = placed.json().get("id").stringValue();
        String sid = placed.json().get("providerCallSid").stringValue();
        JsonNode requested = call("GET", "/v1/calls/" + callId, key, null).json();
        // when: the timeline processor's summary of the call arrives
        Instant requestedAt = OffsetDateTime.parse(placed.json().get("requestedAt").stringValue()).toInstant();
        TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(CallTimeline.newBuilder().setCallId(callId)
                .setTenantId(tenantOf(key)).setAgentId(placed.json().get("agentId").stringValue())
                .setStatus(CallStatus.IN_PROGRESS).setDirection(CallDirection.OUTBOUND)
                .setTransport(Transport.TWILIO).setFrom("+14155550199").setTo("+14155550100")
                .setRequestedAt(requestedAt).setEntryCount(4).setLastEventId("e4").setLastEventAt(Instant.now())
                .setVersion(4).build()));
        // then
        assertThat(requested.get("version").longValue()).isZero();
        assertThat(requested.get("status").stringValue()).isEqualTo("REQUESTED");
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/v1/calls/" + callId, key, null).json()
                .get("version").longValue() == 4);
        JsonNode projected = call("GET", "/v1/calls/" + callId, key, null).json();
        assertThat(projected.get("status").stringValue()).isEqualTo("IN_PROGRESS");
        assertThat(projected.get("provider").stringValue()).isEqualTo("twilio");
        assertThat(projected.get("providerCallSid").stringValue()).isEqualTo(sid);
        assertThat(projected.get("createdAt").stringValue()).isEqualTo(requested.get("createdAt").stringValue());
        assertThat(call("GET", "/v1/calls?limit=200", key, null).json().get("data"))
                .extracting(call -> call.get("id").stringValue()).containsExactly(callId);
    }
}
