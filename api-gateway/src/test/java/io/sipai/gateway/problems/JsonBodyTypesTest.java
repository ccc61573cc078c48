package io.sipai.gateway.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.RawHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request bodies are read without Jackson's coercions: a JSON value of the wrong type (and an enum value outside
 * its set) is 400 {@code invalid-field-type} naming the field, never silently converted, and nothing is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonBodyTypesTest extends GatewayTest {

    private static final String TOOL = "{\"name\":\"t\",\"description\":\"d\",\"type\":";

    private String key;

    @BeforeAll
    void tenant() {
        key = newTenant("json-types");
    }

    /** Each coercion kind Jackson would otherwise apply: path, body, the field at fault. */
    static Stream<Arguments> coercions() {
        return Stream.of(
                Arguments.of("integer to string", "/v1/agents", "{\"name\":12345}", "name"),
                Arguments.of("boolean to string", "/v1/agents", "{\"name\":true}", "name"),
                Arguments.of("float to string", "/v1/agents", "{\"name\":1.5}", "name"),
                Arguments.of("object to string", "/v1/agents", "{\"name\":{}}", "name"),
                Arguments.of("array to string", "/v1/agents", "{\"name\":[\"A\"]}", "name"),
                Arguments.of("integer to boolean", "/v1/agents", "{\"name\":\"A\",\"bargeIn\":{\"enabled\":1}}",
                        "bargeIn.enabled"),
                Arguments.of("string to boolean", "/v1/agents",
                        "{\"name\":\"A\",\"bargeIn\":{\"enabled\":\"true\"}}", "bargeIn.enabled"),
                Arguments.of("boolean to integer", "/v1/agents", "{\"name\":\"A\",\"maxDurationSec\":true}",
                        "maxDurationSec"),
                Arguments.of("string to integer", "/v1/agents", "{\"name\":\"A\",\"maxDurationSec\":\"60\"}",
                        "maxDurationSec"),
                Arguments.of("float to integer", "/v1/agents", "{\"name\":\"A\",\"maxDurationSec\":60.5}",
                        "maxDurationSec"),
                Arguments.of("integral float to integer", "/v1/agents",
                        "{\"name\":\"A\",\"maxDurationSec\":60.0}", "maxDurationSec"),
                Arguments.of("empty string to null integer", "/v1/agents",
                        "{\"name\":\"A\",\"maxDurationSec\":\"\"}", "maxDurationSec"),
                Arguments.of("string to float", "/v1/agents",
                        "{\"name\":\"A\",\"endpointing\":{\"vadThresholdDb\":\"-40\"}}", "endpointing.vadThresholdDb"),
                Arguments.of("empty string to enum", "/v1/agents", "{\"name\":\"A\",\"tools\":[" + TOOL + "\"\"}]}",
                        "tools[0].type"),
                Arguments.of("integer to enum", "/v1/agents", "{\"name\":\"A\",\"tools\":[" + TOOL + "0}]}",
                        "tools[0].type"),
                Arguments.of("single value to array", "/v1/agents",
                        "{\"name\":\"A\",\"tools\":" + TOOL + "\"end_call\"}}", "tools"),
                Arguments.of("empty string to object", "/v1/agents", "{\"name\":\"A\",\"bargeIn\":\"\"}", "bargeIn"),
                Arguments.of("single string to string array", "/v1/webhooks",
                        "{\"url\":\"https://example.com/h\",\"eventTypes\":\"call.ended\"}", "eventTypes"),
                Arguments.of("string to boolean (webhook)", "/v1/webhooks",
                        "{\"url\":\"https://example.com/h\",\"eventTypes\":[\"*\"],\"enabled\":\"yes\"}", "enabled"),
                Arguments.of("integer to string in an array", "/v1/api-keys",
                        "{\"name\":\"k\",\"scopes\":[1]}", "scopes[0]"),
                Arguments.of("integer to string map value", "/v1/calls",
                        "{\"to\":\"+14155550100\",\"from\":\"+14155550199\",\"metadata\":{\"crm\":42}}",
                        "metadata.crm"),
                Arguments.of("integer to string (campaign)", "/v1/campaigns", "{\"name\":7}", "name"),
                Arguments.of("string to integer (campaign)", "/v1/campaigns",
                        "{\"name\":\"c\",\"maxConcurrency\":\"5\"}", "maxConcurrency"),
                Arguments.of("integer to time", "/v1/webhooks/whk_none/replay", "{\"from\":1,\"to\":2}", "from"),
                Arguments.of("boolean to string (phone number)", "/v1/phone-numbers",
                        "{\"number\":true,\"agentId\":\"agt_x\"}", "number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("coercions")
    void givenAValueOfTheWrongJsonType_whenPosted_thenItIs400InvalidFieldTypeNamingTheField(String kind, String path,
                                                                                          String body, String field) {
        // when
        Answer answer = call("POST", path, key, body);
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "invalid-field-type");
        assertThat(answer.json().get("field").stringValue()).isEqualTo(field);
        assertThat(answer.json().get("detail").stringValue()).startsWith(field + ": ").doesNotContain("java.");
    }

    @Test
    void givenWrongTypes_whenPosted_thenNothingIsWritten() {
        // given
        String own = newTenant("json-types-nothing-written");
        // when
        call("POST", "/v1/agents", own, "{\"name\":12345}");
        call("POST", "/v1/agents", own, "{\"name\":true}");
        // then
        assertThat(call("GET", "/v1/agents", own, null).json().get("data")).isEmpty();
    }

    @Test
    void givenAnIntegerForAFloatField_whenPosted_thenItIsAcceptedBecauseJsonHasOneNumberType() {
        // when
        Answer answer = call("POST", "/v1/agents", key, "{\"name\":\"A\",\"endpointing\":{\"vadThresholdDb\":-40}}");
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(201);
    }

    /** Enum-like fields: path, body, field, the allowed values the problem lists. */
    static Stream<Arguments> enums() {
        return Stream.of(
                Arguments.of("/v1/calls", "{\"to\":\"+14155550100\",\"from\":\"+14155550199\",\"agentId\":\"agt_x\","
                        + "\"provider\":\"skype\"}", "provider", "[\"jambonz\",\"twilio\"]"),
                Arguments.of("/v1/agents", "{\"name\":\"A\",\"asr\":{\"provider\":\"skype\"}}", "asr.provider",
                        "[\"deepgram\",\"offline\",\"sphinx\",\"vosk\"]"),
                Arguments.of("/v1/agents", "{\"name\":\"A\",\"llm\":{\"provider\":\"skype\"}}", "llm.provider",
                        "[\"offline\",\"openai\",\"scripted\"]"),
                Arguments.of("/v1/agents", "{\"name\":\"A\",\"tools\":[" + TOOL + "\"teleport\"}]}", "tools[0].type",
                        "[\"http\",\"end_call\",\"transfer_call\",\"send_dtmf\"]"),
                Arguments.of("/v1/api-keys", "{\"name\":\"k\",\"scopes\":[\"read\",\"root\"]}", "scopes[1]",
                        "[\"read\",\"write\",\"admin\"]"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("enums")
    void givenAnUnknownEnumValue_whenPosted_thenItIs400InvalidFieldTypeListingTheAllowedValues(String path,
                                                                                               String body,
                                                                                               String field,
                                                                                               String allowed) {
        // when
        Answer answer = call("POST", path, key, body);
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "invalid-field-type");
        assertThat(answer.json().get("field").stringValue()).isEqualTo(field);
        assertThat(answer.json().get("allowed").toString()).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"*/*", "application/*", "application/json; charset=nope", "multipart/form-data",
            ";;;", "text/plain"})
    void givenAContentTypeThatIsNotJson_whenPosted_thenItIs415UnsupportedMediaType(String contentType) {
        // when
        RawHttp.Response answer = new RawHttp(port).request("POST", "/v1/webhooks/whk_none/replay",
                Map.of("X-API-Key", key, "Content-Type", contentType),
                "{\"eventId\":\"e\"}".getBytes(StandardCharsets.UTF_8));
        // then
        assertThat(answer.status()).as(answer.text()).isEqualTo(415);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "unsupported-media-type");
    }
}
