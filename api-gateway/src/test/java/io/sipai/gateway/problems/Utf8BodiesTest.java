package io.sipai.gateway.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.RawHttp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JSON body whose bytes are not UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) is 400
 * {@code malformed-body} naming the offset, and nothing is written: Jackson alone would read an overlong
 * {@code C0 AE} as ".".
 */
class Utf8BodiesTest extends GatewayTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c0ae", "c1bf", "ff", "c328", "eda080", "e080af", "f08080af", "f4908080", "f888808080",
            "e282"})
    void givenAnAgentNameWithBytesThatAreNotUtf8_whenCreated_thenItIs400MalformedBodyAndNothingIsStored(String hex) {
        // given
        String key = newTenant("utf8-" + hex);
        byte[] body = nameWith(HexFormat.of().parseHex(hex));
        // when
        RawHttp.Response answer = new RawHttp(port).request("POST", "/v1/agents", Map.of("X-API-Key", key,
                "Content-Type", "application/json"), body);
        // then
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "malformed-body");
        assertThat(answer.json().get("offset").intValue()).isEqualTo("{\"name\":\"Ava".length());
        assertThat(call("GET", "/v1/agents", key, null).json().get("data")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c0ae", "eda080"})
    void givenASignedJambonzCallWithBytesThatAreNotUtf8_whenPosted_thenItIs400MalformedBody(String hex) {
        // given
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"call_sid\":\"c1\",\"from\":\"+1415".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(HexFormat.of().parseHex(hex));
        body.writeBytes("\",\"to\":\"+14155550199\"}".getBytes(StandardCharsets.UTF_8));
        // when
        Answer answer = signedJambonz("/telephony/jambonz/call", body.toByteArray());
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "malformed-body");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Ava \u00e9\u20ac\ud83d\ude00", "\u202eevil"})
    void givenACampaignNameInValidUtf8_whenCreated_thenItIsStoredAsSent(String name) {
        // given
        String key = newTenant("utf8-valid");
        // when
        Answer created = call("POST", "/v1/campaigns", key, Map.of("name", name));
        // then
        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        assertThat(created.json().get("name").stringValue()).isEqualTo(name);
    }

    private static byte[] nameWith(byte[] bytes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"name\":\"Ava".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }
}
