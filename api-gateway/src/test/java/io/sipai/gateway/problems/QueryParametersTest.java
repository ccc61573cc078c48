package io.sipai.gateway.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.RawHttp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Query parameters that do not decode to storable text (invalid percent-encoding, invalid UTF-8, control
 * characters) and cursors this API did not return are 400 {@code invalid-parameter} naming the parameter, on every
 * path the server serves, before any handler sees them.
 */
class QueryParametersTest extends GatewayTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/v1/calls?status=%FF, status",
            "/v1/calls?cursor=%C3%28, cursor",
            "/v1/calls?agentId=%ED%A0%80, agentId",
            "/v1/calls?agentId=%C0%AE, agentId",
            "/v1/calls?campaignId=%00, campaignId",
            "/v1/calls?agentId=a%01b, agentId",
            "/v1/calls?agentId=%ZZ, agentId",
            "/v1/agents?x%FF=1, query",
            "/v1/webhooks/whk_x/attempts?cursor=%00, cursor",
            "/v1/phone-numbers?cursor=%E0%80%80, cursor",
            "/v1/health?probe=%FF, probe",
            "/telephony/twilio/status?callId=%FF, callId",
            "/telephony/jambonz/call?tenant=%00, tenant"})
    void givenAQueryParameterThatIsNotStorableText_whenRequested_thenItIs400InvalidParameterNamingIt(String target,
                                                                                                    String field) {
        // when
        String method = target.startsWith("/telephony") ? "POST" : "GET";
        RawHttp.Response answer = new RawHttp(port).request(method, target, Map.of("X-API-Key", ADMIN_KEY),
                method.equals("POST") ? new byte[0] : null);
        // then
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "invalid-parameter");
        assertThat(answer.json().get("field").stringValue()).isEqualTo(field);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-01-01T00:00:00Z|\u0000", "2026-01-01T00:00:00Z|\u00ff\u0001", "not a time|x"})
    void givenACursorThisApiDidNotReturn_whenListingCalls_thenItIs400InvalidParameterNamingCursor(String position) {
        // given
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(
                position.getBytes(StandardCharsets.UTF_8));
        // when
        Answer answer = call("GET", "/v1/calls?cursor=" + cursor, ADMIN_KEY, null);
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "invalid-parameter");
        assertThat(answer.json().get("field").stringValue()).isEqualTo("cursor");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/v1/calls?limit=0x10, limit",
            "/v1/calls?limit=%2310, limit",
            "/v1/calls?limit=%EF%BC%91, limit",
            "/v1/calls?limit=%2B5, limit",
            "/v1/phone-numbers?limit=1e1, limit",
            "/v1/calls/nope/timeline?after=0x10, after",
            "/v1/calls/nope/timeline?after=99999999999999999999, after"})
    void givenAnIntegerParameterThatIsNotPlainDecimal_whenRequested_thenItIs400InvalidParameterNamingIt(
            String target, String field) {
        // when
        Answer answer = call("GET", target, ADMIN_KEY, null);
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "invalid-parameter");
        assertThat(answer.json().get("field").stringValue()).isEqualTo(field);
    }
}
