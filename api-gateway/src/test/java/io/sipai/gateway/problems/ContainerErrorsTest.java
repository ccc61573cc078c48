package io.sipai.gateway.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Requests the server container refuses before the application sees them (a URI it will not decode, an oversize
 * header, a broken request line) are answered like every other error: an {@code application/problem+json} body with
 * a {@link ProblemType} type, on the REST paths and the telephony paths alike, with one log line each.
 */
@ExtendWith(OutputCaptureExtension.class)
class ContainerErrorsTest extends GatewayTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /v1/agents/..%2F..%2Fetc",
            "GET, /v1/calls/%00",
            "GET, /v1/agents/%C0%AE%C0%AE%2F",
            "GET, /v1/agents/%FF",
            "GET, /v1/../../etc/passwd",
            "DELETE, /v1/webhooks/%2e%2e%2F%2e%2e%2Fx",
            "POST, /telephony/twilio/voice%2F",
            "POST, /telephony/jambonz/call/%00",
            "GET, /health/%C0%AE"})
    void givenAUriTheServerWillNotDecode_whenRequested_thenTheAnswerIsA400ProblemAndOneLineIsLogged(
            String method, String path, CapturedOutput output) {
        // given
        String marker = UUID.randomUUID().toString();
        // when
        RawHttp.Response answer = new RawHttp(port).request(method, path + "?probe=" + marker,
                Map.of("X-API-Key", ADMIN_KEY), method.equals("GET") ? null : new byte[0]);
        // then
        assertProblem(answer, 400, "malformed-request");
        assertThat(output.getOut().lines().filter(line -> line.contains(marker))).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/v1/agents", "/telephony/twilio/status", "/v1/health"})
    void givenAHeaderLargerThanTheServerTakes_whenRequested_thenTheAnswerIsA400Problem(String path) {
        // when
        RawHttp.Response answer = new RawHttp(port).request("GET", path, Map.of("X-API-Key", "k".repeat(10_240)),
                null);
        // then
        assertProblem(answer, 400, "malformed-request");
    }

    @Test
    void givenAnApiKeyHeaderTheServerRefuses_whenSent_thenTheKeyIsNeitherEchoedNorLogged(CapturedOutput output) {
        // given
        String secret = "sk_" + UUID.randomUUID().toString().replace("-", "");
        // when
        RawHttp.Response answer = new RawHttp(port).request("GET", "/v1/agents",
                Map.of("X-API-Key", secret + "\u0001"), null);
        // then
        assertProblem(answer, 400, "malformed-request");
        assertThat(answer.text()).doesNotContain(secret);
        assertThat(output.getOut()).doesNotContain(secret);
    }

    @Test
    void givenABrokenRequestLine_whenSent_thenTheAnswerIsA400Problem() {
        // when
        RawHttp.Response badMethod = new RawHttp(port).send("G\"T /v1/agents HTTP/1.1", null);
        RawHttp.Response controlInTarget = new RawHttp(port).send("GET /v1/agents/\u0001 HTTP/1.1", null);
        RawHttp.Response noVersion = new RawHttp(port).send("GET /v1/agents HTTP/1.1 extra", null);
        // then
        assertProblem(badMethod, 400, "malformed-request");
        assertProblem(controlInTarget, 400, "malformed-request");
        assertProblem(noVersion, 400, "malformed-request");
    }

    @Test
    void givenAnAcceptHeaderNoProblemCanSatisfy_whenAnErrorIsAnswered_thenItIsStillAProblem() {
        // when
        RawHttp.Response answer = new RawHttp(port).request("GET", "/v1/agents/nope",
                Map.of("X-API-Key", ADMIN_KEY, "Accept", "text/csv"), null);
        // then
        assertThat(answer.status()).as(answer.text()).isBetween(400, 499);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).startsWith(ProblemType.BASE);
    }

    private static void assertProblem(RawHttp.Response answer, int status, String type) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.text()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + type);
        assertThat(answer.json().get("status").intValue()).isEqualTo(status);
        assertThat(answer.json().get("title").stringValue()).isNotBlank();
    }
}
