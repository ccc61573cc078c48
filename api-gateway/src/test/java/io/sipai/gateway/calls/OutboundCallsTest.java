package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.sipai.admission.AcquireSlot;
import io.sipai.common.AdmissionLimit;
import io.sipai.events.CallRequested;
import io.sipai.gateway.testing.FakeJambonz;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;

/** POST /v1/calls: admission request-reply over the real broker, then origination to a local fake jambonz. */
class OutboundCallsTest extends GatewayTest {

    @Test
    void grantedCallIsOriginatedThroughJambonzAndAnswered202() {
        // given
        String key = newTenant("granted");
        String agent = newAgent(key);
        // when
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent, "metadata", Map.of("crm", "42")));
        // then
        assertThat(placed.status()).as(placed.response().body()).isEqualTo(202);
        String callId = placed.json().get("id").stringValue();
        assertThat(placed.json().get("status").stringValue()).isEqualTo("REQUESTED");
        assertThat(placed.json().get("providerCallSid").stringValue()).isNotBlank();
        assertThat(FakeJambonz.REQUESTS).anySatisfy(seen -> {
            assertThat(seen.method()).isEqualTo("POST");
            assertThat(seen.authorization()).isEqualTo("Bearer " + FakeJambonz.TOKEN);
            assertThat(seen.body()).contains("\"sipaiCallId\":\"" + callId + "\"")
                    .contains("\"application_sid\":\"app-1\"").contains("\"number\":\"+14155550100\"");
        });
        assertThat(AdmissionResponder.SEEN).anySatisfy(command -> {
            assertThat(command.getCallId()).isEqualTo(callId);
            assertThat(command.getCommand()).isInstanceOf(AcquireSlot.class);
        });
        assertThat(TestKafka.readAll(Topics.CALL_EVENTS)).anySatisfy(record -> {
            assertThat(record.getKey()).isEqualTo(callId);
            assertThat(record.getValue().getPayload()).isInstanceOf(CallRequested.class);
        });
        assertThat(call("GET", "/v1/calls/" + callId, key, null).status()).isEqualTo(200);
    }

    @Test
    void rejectedAdmissionAnswers429NamingTheLimitAndOriginatesNothing() {
        // given
        String key = newTenant("full");
        String agent = newAgent(key);
        String tenantId = call("GET", "/v1/api-keys", key, null).json().get("data").get(0).get("tenantId")
                .stringValue();
        AdmissionResponder.REJECT.put(tenantId, AdmissionLimit.TENANT);
        int originations = FakeJambonz.REQUESTS.size();
        // when
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent));
        // then
        assertThat(placed.status()).isEqualTo(429);
        assertThat(placed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(placed.json().get("type").stringValue()).endsWith("/admission-rejected");
        assertThat(placed.json().get("limit").stringValue()).isEqualTo("TENANT");
        assertThat(FakeJambonz.REQUESTS).hasSize(originations);
        String callId = placed.json().get("callId").stringValue();
        assertThat(call("GET", "/v1/calls/" + callId, key, null).json().get("status").stringValue())
                .isEqualTo("REJECTED");
    }

    @Test
    void silentAdmissionAnswers503WithinTheTimeout() {
        // given
        String key = newTenant("silent");
        String agent = newAgent(key);
        String tenantId = call("GET", "/v1/api-keys", key, null).json().get("data").get(0).get("tenantId")
                .stringValue();
        AdmissionResponder.SILENT.add(tenantId);
        // when
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent));
        // then
        assertThat(placed.status()).isEqualTo(503);
        assertThat(placed.json().get("type").stringValue()).endsWith("/admission-unavailable");
    }

    @Test
    void callOfAnotherTenantIs404NotForbidden() {
        // given
        String owner = newTenant("owner");
        String other = newTenant("other");
        String callId = call("POST", "/v1/calls", owner, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", newAgent(owner))).json().get("id").stringValue();
        // when
        Answer read = call("GET", "/v1/calls/" + callId, other, null);
        Answer timeline = call("GET", "/v1/calls/" + callId + "/timeline", other, null);
        // then
        assertThat(read.status()).isEqualTo(404);
        assertThat(timeline.status()).isEqualTo(404);
        assertThat(read.json().get("type").stringValue()).endsWith("/not-found");
    }

    @Test
    void listFiltersByStatusAndPagesWithACursor() {
        // given
        String key = newTenant("lister");
        String agent = newAgent(key);
        for (int i = 0; i < 3; i++) {
            assertThat(call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                    "agentId", agent)).status()).isEqualTo(202);
        }
        // when
        Answer first = call("GET", "/v1/calls?limit=2&status=requested", key, null);
        Answer second = call("GET", "/v1/calls?limit=2&status=requested&cursor="
                + first.json().get("nextCursor").stringValue(), key, null);
        Answer badStatus = call("GET", "/v1/calls?status=flying", key, null);
        // then
        assertThat(first.json().get("data")).hasSize(2);
        assertThat(second.json().get("data")).hasSize(1);
        assertThat(second.json().get("nextCursor")).isNull();
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().get("field").stringValue()).isEqualTo("status");
    }
}
