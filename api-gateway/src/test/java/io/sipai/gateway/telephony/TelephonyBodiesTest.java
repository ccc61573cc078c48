package io.sipai.gateway.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;

import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Telephony webhook bodies that are not well-formed are 400 problems whether or not their signature is valid, and
 * signed ones carrying text nothing downstream can store are 422 naming the field: never a 500.
 */
class TelephonyBodiesTest extends GatewayTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CallSid=%ZZ", "CallSid=%", "To=%E0%A4%A", "%=1"})
    void givenATwilioFormThatIsNotValidUrlEncoding_whenPosted_thenItIs400MalformedBody(String form) {
        // when
        Answer answer = send(HttpRequest.newBuilder(uri("/telephony/twilio/voice"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", "x")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).isEqualTo(ProblemType.BASE + "malformed-body");
    }

    @Test
    void givenASignedTwilioCallWithAControlCharacterInAParameter_whenPosted_thenItIs422NamingTheParameter() {
        // when
        Answer answer = signedTwilio("/telephony/twilio/voice", Map.of("CallSid", "CA" + UUID.randomUUID(),
                "From", "+1415\u00005550100", "To", "+14155550199"));
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(422);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("field").stringValue()).isEqualTo("From");
    }

    @Test
    void givenASignedJambonzCallWithANulInItsBody_whenPosted_thenItIsAProblemNamingTheField() {
        // given
        String body = "{\"call_sid\":\"" + UUID.randomUUID() + "\",\"from\":\"+1415\\u00005550100\","
                + "\"to\":\"+14155550199\"}";
        // when
        Answer answer = signedJambonz("/telephony/jambonz/call", body);
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(422);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("field").stringValue()).isEqualTo("from");
    }
}
