package io.sipai.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation of webhooks, timelines and phone numbers: another tenant's key gets 404 not-found (never 403,
 * which would tell that the id exists) for every read and write of a resource it does not own, never sees it in a
 * list, and changes nothing of it.
 */
class CrossTenantTest extends GatewayTest {

    @Test
    void anotherTenantsWebhookIs404ForEveryOperationAndNeverListed() {
        // given tenant A's subscription
        String owner = newTenant("xt-hooks-owner");
        String stranger = newTenant("xt-hooks-stranger");
        Answer created = call("POST", "/v1/webhooks", owner, Map.of("url", "https://example.com/a-hook",
                "eventTypes", List.of("call.ended")));
        String id = created.json().get("id").stringValue();
        String path = "/v1/webhooks/" + id;
        // when tenant B tries everything on it
        List<Answer> answers = List.of(call("GET", path, stranger, null),
                call("PUT", path, stranger, Map.of("url", "https://example.com/b-hook", "eventTypes",
                        List.of("*"))),
                call("POST", path + "/rotate-secret", stranger, null),
                call("GET", path + "/attempts", stranger, null),
                call("POST", path + "/replay", stranger, Map.of("eventId", "evt-1")),
                call("DELETE", path, stranger, null));
        // then each is a 404 without a trace of A's subscription, and A's subscription is unchanged
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().get("type").stringValue()).endsWith("/not-found");
            assertThat(answer.response().body()).doesNotContain("a-hook", "whsec_");
        });
        assertThat(call("GET", "/v1/webhooks", stranger, null).response().body()).doesNotContain(id);
        Answer mine = call("GET", path, owner, null);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().get("url").stringValue()).isEqualTo("https://example.com/a-hook");
        assertThat(mine.json().get("version").longValue()).isEqualTo(created.json().get("version").longValue());
        assertThat(TestKafka.readAll(Topics.WEBHOOK_REPLAY).stream().map(Map.Entry::getKey)).doesNotContain(id);
    }

    @Test
    void anotherTenantsCallAndTimelineAre404AndNeverListed() {
        // given tenant A's call with a projected timeline entry
        String owner = newTenant("xt-calls-owner");
        String stranger = newTenant("xt-calls-stranger");
        String tenantA = tenantOf(owner);
        String callId = "call-xt-" + UUID.randomUUID();
        TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(CallTimeline.newBuilder().setCallId(callId)
                .setTenantId(tenantA).setAgentId("agent-xt").setStatus(CallStatus.IN_PROGRESS)
                .setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET).setFrom("+14155550101")
                .setTo("+14155550102").setRequestedAt(Instant.now()).setEntryCount(1).setLastEventId("e1")
                .setLastEventAt(Instant.now()).setVersion(1).build()));
        TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, callId,
                List.of(Events.entry(Events.event(callId, tenantA, Events.requested()), 1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/v1/calls/" + callId + "/timeline",
                owner, null).json().get("data").size() == 1);
        // when tenant B reads or hangs it up
        List<Answer> answers = List.of(call("GET", "/v1/calls/" + callId, stranger, null),
                call("GET", "/v1/calls/" + callId + "/timeline", stranger, null),
                call("GET", "/v1/calls/" + callId + "/timeline?after=0&limit=10", stranger, null),
                call("POST", "/v1/calls/" + callId + "/hangup", stranger, null));
        // then
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.response().body()).doesNotContain(tenantA, "agent-xt");
        });
        assertThat(call("GET", "/v1/calls?limit=200", stranger, null).response().body()).doesNotContain(callId);
        assertThat(call("GET", "/v1/calls/" + callId, owner, null).json().get("status").stringValue())
                .isEqualTo("IN_PROGRESS");
    }

    @Test
    void anotherTenantsPhoneNumberIs404AndNeverListed() {
        // given
        String owner = newTenant("xt-numbers-owner");
        String stranger = newTenant("xt-numbers-stranger");
        String number = "+49" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L);
        String agent = newAgent(owner);
        call("POST", "/v1/phone-numbers", owner, Map.of("number", number, "agentId", agent));
        String path = "/v1/phone-numbers/" + number.replace("+", "%2B");
        // when
        List<Answer> answers = List.of(call("GET", path, stranger, null),
                call("PUT", path, stranger, Map.of("agentId", newAgent(stranger))),
                call("DELETE", path, stranger, null));
        // then
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.response().body()).doesNotContain(agent);
        });
        assertThat(call("GET", "/v1/phone-numbers?limit=100", stranger, null).response().body())
                .doesNotContain(number);
        assertThat(call("GET", path, owner, null).json().get("agentId").stringValue()).isEqualTo(agent);
    }
}
