package io.sipai.gateway.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text that PostgreSQL, Kafka or the product cannot keep (NUL, other control characters except tab, line feed and
 * carriage return, unpaired surrogates) is refused in every string of every request body, names included, with
 * 422 {@code validation-failed} naming the field, before anything is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnstorableTextTest extends GatewayTest {

    private String key;

    @BeforeAll
    void tenant() {
        key = newTenant("unstorable");
    }

    /** Path, body (JSON text, escapes as clients send them), field at fault. */
    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("/v1/agents", "{\"name\":\"nul \\u0000 byte\"}", "name"),
                Arguments.of("/v1/agents", "{\"name\":\"A\",\"greeting\":\"bell \\u0007\"}", "greeting"),
                Arguments.of("/v1/agents", "{\"name\":\"lone \\ud800 surrogate\"}", "name"),
                Arguments.of("/v1/agents", "{\"name\":\"reversed \\udc00\\ud800 pair\"}", "name"),
                Arguments.of("/v1/agents", "{\"name\":\"A\",\"llm\":{\"provider\":\"openai\",\"options\":"
                        + "{\"k\\u0000\":\"v\"}}}", "llm.options"),
                Arguments.of("/v1/agents", "{\"name\":\"A\",\"tools\":[{\"name\":\"t\",\"description\":\"d\","
                        + "\"type\":\"end_call\",\"parameters\":{\"type\":\"object\",\"description\":\"x\\u0000\"}}]}",
                        "tools[0].parameters.description"),
                Arguments.of("/v1/campaigns", "{\"name\":\"\\u0000\"}", "name"),
                Arguments.of("/v1/webhooks", "{\"url\":\"https://example.com/h\",\"eventTypes\":[\"\\u0000\"]}",
                        "eventTypes[0]"),
                Arguments.of("/v1/tenants", "{\"name\":\"t\\u001b[31m\"}", "name"),
                Arguments.of("/v1/api-keys", "{\"name\":\"\\u0000\",\"scopes\":[\"read\"]}", "name"),
                Arguments.of("/v1/phone-numbers", "{\"number\":\"+14155550100\",\"agentId\":\"agt\\u0000\"}",
                        "agentId"),
                Arguments.of("/v1/calls", "{\"to\":\"+14155550100\",\"from\":\"+14155550199\",\"agentId\":\"a\","
                        + "\"metadata\":{\"crm\":\"\\u0000\"}}", "metadata.crm"));
    }

    @ParameterizedTest(name = "{2} on {0}")
    @MethodSource("bodies")
    void givenUnstorableTextInAString_whenPosted_thenItIs422NamingTheField(String path, String body, String field) {
        // when
        Answer answer = call("POST", path, key, body);
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(422);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "validation-failed");
        assertThat(answer.json().get("field").stringValue()).isEqualTo(field);
    }

    @Test
    void givenANulInAnAgentName_whenPosted_thenNothingIsWritten() {
        // given
        String own = newTenant("unstorable-nothing-written");
        // when
        Answer answer = call("POST", "/v1/agents", own, "{\"name\":\"nul \\u0000 byte\"}");
        // then
        assertThat(answer.status()).isEqualTo(422);
        assertThat(call("GET", "/v1/agents", own, null).json().get("data")).isEmpty();
    }

    @Test
    void givenTabsLineBreaksAndAPairedSurrogate_whenPosted_thenTheTextIsKept() {
        // when
        Answer answer = call("POST", "/v1/agents", key,
                "{\"name\":\"Ava \\ud83d\\ude00\",\"greeting\":\"Hi,\\r\\n\\tthis is Ava.\"}");
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(201);
        assertThat(answer.json().get("spec").get("greeting").stringValue()).isEqualTo("Hi,\r\n\tthis is Ava.");
        assertThat(answer.json().get("spec").get("name").stringValue()).isEqualTo("Ava \uD83D\uDE00");
    }
}
