package io.sipai.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.sipai.config.AgentConfig;
import io.sipai.config.ToolKind;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;

/** /v1/agents: CRUD published to agent.config.v1, and every validation path answering a problem naming the field. */
class AgentsApiTest extends GatewayTest {

    private static final Map<String, Object> TOOL = Map.of("name", "lookup", "description", "Find an order",
            "type", "http", "url", "https://example.com/orders", "parameters", Map.of("type", "object"));

    @Test
    void writesArePublishedWithIncreasingVersionsAndDeleteEndsInATombstone() {
        // given
        String key = newTenant("agents");
        // when
        Answer created = call("POST", "/v1/agents", key, Map.of("name", "Ava", "language", "en-GB",
                "llm", Map.of("provider", "openai", "model", "gpt-4o-mini"), "tools", List.of(TOOL,
                        Map.of("name", "bye", "description", "End the call", "type", "end_call"))));
        String id = created.json().get("id").stringValue();
        Answer replaced = call("PUT", "/v1/agents/" + id, key, Map.of("name", "Ava 2"));
        Answer deleted = call("DELETE", "/v1/agents/" + id, key, null);
        // then
        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        assertThat(replaced.json().get("version").longValue()).isEqualTo(2);
        assertThat(deleted.status()).isEqualTo(204);
        List<AgentConfig> records = TestKafka.readAll(Topics.AGENT_CONFIG).stream()
                .filter(r -> r.getKey().equals(id)).map(Map.Entry::getValue).toList();
        assertThat(records).hasSize(4);
        assertThat(records.get(0).getTools()).extracting(t -> t.getKind()).containsExactly(ToolKind.HTTP,
                ToolKind.END_CALL);
        assertThat(records.get(0).getLlm().getProvider()).isEqualTo("openai");
        assertThat(records.get(1).getName()).isEqualTo("Ava 2");
        assertThat(records.get(2).getDeleted()).isTrue();
        assertThat(records.get(3)).isNull();
        assertThat(call("GET", "/v1/agents/" + id, key, null).status()).isEqualTo(404);
    }

    @Test
    void unknownFieldIs400NamingItAndNothingIsWritten() {
        String key = newTenant("strict");
        Answer answer = call("POST", "/v1/agents", key, Map.of("name", "A", "colour", "blue"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("type").stringValue()).endsWith("/unknown-field");
        assertThat(answer.json().get("field").stringValue()).isEqualTo("colour");
        assertThat(call("GET", "/v1/agents", key, null).json().get("data")).isEmpty();
    }

    @Test
    void malformedJsonAndBadEnumAre400() {
        String key = newTenant("malformed");
        Answer malformed = call("POST", "/v1/agents", key, "{\"name\": ");
        Answer badEnum = call("POST", "/v1/agents", key, Map.of("name", "A", "tools", List.of(Map.of("name", "t",
                "description", "d", "type", "teleport"))));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("type").stringValue()).endsWith("/malformed-body");
        assertThat(badEnum.status()).isEqualTo(400);
        assertThat(badEnum.json().get("field").stringValue()).isEqualTo("tools[0].type");
    }

    @Test
    void unacceptableValuesAre422NamingTheField() {
        String key = newTenant("values");
        Map<String, Map<String, Object>> cases = Map.of(
                "tools[0].url", Map.of("name", "A", "tools", List.of(Map.of("name", "t", "description", "d",
                        "type", "http", "url", "http://insecure.example.com"))),
                "tools[1].url", Map.of("name", "A", "tools", List.of(Map.of("name", "t", "description", "d",
                        "type", "transfer_call", "url", "tel:+15551234567"), Map.of("name", "t2",
                        "description", "d", "type", "transfer_call", "url", "https://example.com/dial"))),
                "name", Map.of("greeting", "hi"),
                "language", Map.of("name", "A", "language", "English!"),
                "llm.options.temperature", Map.of("name", "A", "llm", Map.of("provider", "openai", "options",
                        java.util.Collections.singletonMap("temperature", null))),
                "endpointing.silenceMs", Map.of("name", "A", "endpointing", Map.of("silenceMs", 5)),
                "endpointing.pauseMs", Map.of("name", "A", "endpointing", Map.of("silenceMs", 500, "pauseMs", 600)));
        cases.forEach((field, body) -> {
            Answer answer = call("POST", "/v1/agents", key, body);
            assertThat(answer.status()).as(field).isEqualTo(422);
            assertThat(answer.json().get("field").stringValue()).isEqualTo(field);
            assertThat(answer.json().get("type").stringValue()).endsWith("/validation-failed");
        });
        assertThat(call("GET", "/v1/agents", key, null).json().get("data")).isEmpty();
    }

    @Test
    void givenATransferTool_whenItsUrlIsATelOrSipTarget_thenTheAgentIsAcceptedAndOtherSchemesAre422() {
        String key = newTenant("transfer");
        Answer accepted = call("POST", "/v1/agents", key, Map.of("name", "A", "tools", List.of(
                Map.of("name", "to_sales", "description", "d", "type", "transfer_call", "url", "tel:+15551234567"),
                Map.of("name", "to_pbx", "description", "d", "type", "transfer_call",
                        "url", "sip:support@pbx.example.com"))));
        assertThat(accepted.status()).isEqualTo(201);
        for (String bad : List.of("tel:5551234567", "https://example.com/dial", "sip:pbx.example.com")) {
            Answer refused = call("POST", "/v1/agents", key, Map.of("name", "B", "tools", List.of(Map.of("name",
                    "t", "description", "d", "type", "transfer_call", "url", bad))));
            assertThat(refused.status()).as(bad).isEqualTo(422);
            assertThat(refused.json().get("field").stringValue()).isEqualTo("tools[0].url");
        }
        Answer httpWithTel = call("POST", "/v1/agents", key, Map.of("name", "C", "tools", List.of(Map.of("name",
                "t", "description", "d", "type", "http", "url", "tel:+15551234567"))));
        assertThat(httpWithTel.status()).isEqualTo(422);
    }

    @Test
    void oversizeBodyIs413() {
        String key = newTenant("big");
        Answer answer = call("POST", "/v1/agents", key, Map.of("name", "A", "systemPrompt", "x".repeat(10_000)));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("type").stringValue()).endsWith("/payload-too-large");
    }

    @Test
    void campaignPublishesItsLimitAndRefusesAForeignAgent() {
        String key = newTenant("campaigns");
        String other = newTenant("campaigns-other");
        String agent = newAgent(key);
        Answer created = call("POST", "/v1/campaigns", key, Map.of("name", "Spring", "agentId", agent,
                "maxConcurrency", 5));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").stringValue();
        assertThat(TestKafka.readAll(Topics.CAMPAIGN_CONFIG)).anySatisfy(r -> {
            assertThat(r.getKey()).isEqualTo(id);
            assertThat(r.getValue().getMaxConcurrency()).isEqualTo(5);
        });
        Answer foreign = call("POST", "/v1/campaigns", other, Map.of("name", "X", "agentId", agent));
        assertThat(foreign.status()).isEqualTo(422);
        assertThat(foreign.json().get("field").stringValue()).isEqualTo("agentId");
        assertThat(call("GET", "/v1/campaigns/" + id, other, null).status()).isEqualTo(404);
    }
}
