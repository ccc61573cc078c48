package io.sipai.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sipai.admission.AdmissionCounter;
import io.sipai.admission.CounterScope;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.CounterKeys;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/admission/counters}: the caller's tenant and campaigns against their limits as admission published
 * them on {@code admission.counters.v1}, the defaults for those without a counter, the global counter for platform
 * admin keys only, and never another tenant's.
 */
class AdmissionCountersApiTest extends GatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aTenantSeesItsOwnCountersAndCampaignsAgainstTheirLimitsButNotTheGlobalOne() {
        // given a tenant with two campaigns, one holding slots and one idle with its own limit
        String key = newTenant("counters");
        String tenantId = tenantOf(key);
        String agent = newAgent(key);
        String busy = campaign(key, agent, "Busy", null);
        String idle = campaign(key, agent, "Idle", 7);
        // and admission's published counters (another tenant's among them)
        publish(CounterKeys.GLOBAL, counter(CounterScope.GLOBAL, null, 12, 1000)
                .setDefaultTenantLimit(50).setDefaultCampaignLimit(20).build());
        publish(CounterKeys.tenant(tenantId), counter(CounterScope.TENANT, tenantId, 3, 50).build());
        publish(CounterKeys.campaign(busy), counter(CounterScope.CAMPAIGN, busy, 2, 20).build());
        publish(CounterKeys.tenant("someone-else"), counter(CounterScope.TENANT, "someone-else", 9, 50).build());

        // when the tenant asks, then it reads its own counters, the idle campaign at zero with its own limit
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode body = counters(key);
            assertThat(body.get("tenantId").stringValue()).isEqualTo(tenantId);
            assertThat(body.get("tenant").get("active").intValue()).isEqualTo(3);
            assertThat(body.get("tenant").get("limit").intValue()).isEqualTo(50);
            JsonNode campaigns = body.get("campaigns");
            assertThat(campaigns).hasSize(2);
            assertThat(campaigns.get(0).get("name").stringValue()).isEqualTo("Busy");
            assertThat(campaigns.get(0).get("active").intValue()).isEqualTo(2);
            assertThat(campaigns.get(1).get("campaignId").stringValue()).isEqualTo(idle);
            assertThat(campaigns.get(1).get("active").intValue()).isZero();
            assertThat(campaigns.get(1).get("limit").intValue()).isEqualTo(7);
            // and not the global counter, which is the platform's
            assertThat(body.path("global").isMissingNode() || body.path("global").isNull()).isTrue();
            assertThat(body.toString()).doesNotContain("someone-else");
        });

        // and when its slots are released, then it reads zero
        publish(CounterKeys.tenant(tenantId), counter(CounterScope.TENANT, tenantId, 0, 50).build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(counters(key).get("tenant").get("active").intValue())
                .isZero());
    }

    @Test
    void aPlatformAdminKeyAlsoSeesTheGlobalCounterAndATenantWithoutCountersGetsTheDefaultLimit() {
        // given the limits admission published at start, and a tenant that never held a slot
        publish(CounterKeys.GLOBAL, counter(CounterScope.GLOBAL, null, 4, 1000).setDefaultTenantLimit(50)
                .setDefaultCampaignLimit(20).build());
        String fresh = newTenant("fresh");

        await().atMost(WAIT).untilAsserted(() -> {
            // when the platform admin asks, then it sees the global counter
            JsonNode admin = counters(ADMIN_KEY);
            assertThat(admin.get("global").get("limit").intValue()).isEqualTo(1000);
            // and the new tenant reads no slot under the default limit
            JsonNode tenant = counters(fresh).get("tenant");
            assertThat(tenant.get("active").intValue()).isZero();
            assertThat(tenant.get("limit").intValue()).isEqualTo(50);
        });
        // and no key, no counters
        assertThat(call("GET", "/v1/admission/counters", null, null).status()).isEqualTo(401);
    }

    private JsonNode counters(String key) {
        Answer answer = call("GET", "/v1/admission/counters", key, null);
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return answer.json();
    }

    private String campaign(String key, String agent, String name, Integer maxConcurrency) {
        Map<String, Object> body = maxConcurrency == null ? Map.of("name", name, "agentId", agent)
                : Map.of("name", name, "agentId", agent, "maxConcurrency", maxConcurrency);
        Answer created = call("POST", "/v1/campaigns", key, body);
        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        return created.json().get("id").stringValue();
    }

    private static AdmissionCounter.Builder counter(CounterScope scope, String id, int active, int limit) {
        return AdmissionCounter.newBuilder().setScope(scope).setId(id).setActive(active).setLimit(limit)
                .setUpdatedAt(Instant.now());
    }

    private static void publish(String key, AdmissionCounter counter) {
        TestKafka.produce(Topics.ADMISSION_COUNTERS, key, List.of(counter));
    }
}
