package io.sipai.gateway.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.twilio.security.RequestValidator;
import io.sipai.schemas.telephony.JambonzSignature;
import io.sipai.schemas.telephony.TwilioSignature;
import org.junit.jupiter.api.Test;

/**
 * The signature verifiers the gateway's webhooks use (the shared ones of the schemas module) against the protocol
 * sheet's vectors and Twilio's own RequestValidator.
 */
class SignatureVectorsTest {

    private static final String JAMBONZ_BODY = "{\"call_sid\":\"9210add6-9573-4860-a003-648c7829faaa\","
            + "\"call_status\":\"ringing\",\"sip_status\":180}";
    private static final String JAMBONZ_HEADER =
            "t=1700000000,v1=a5a4f5e955799f404071f5339a1a6b19692e0a0e1921ce7df8c4000659af83c2";
    private static final TwilioSignature TWILIO = new TwilioSignature("12345");

    @Test
    void jambonzVectorVerifiesWithinToleranceOnly() {
        byte[] body = JAMBONZ_BODY.getBytes(StandardCharsets.UTF_8);
        List<String> secrets = List.of("rotated-out", "my-webhook-secret");
        assertThat(JambonzSignature.verify(secrets, JAMBONZ_HEADER, body, Instant.ofEpochSecond(1_700_000_300)))
                .isTrue();
        assertThat(JambonzSignature.verify(secrets, JAMBONZ_HEADER, body, Instant.ofEpochSecond(1_700_000_301)))
                .isFalse();
        assertThat(JambonzSignature.verify(List.of("other"), JAMBONZ_HEADER, body,
                Instant.ofEpochSecond(1_700_000_000))).isFalse();
        assertThat(JambonzSignature.verify(secrets, JAMBONZ_HEADER, (JAMBONZ_BODY + " ").getBytes(
                StandardCharsets.UTF_8), Instant.ofEpochSecond(1_700_000_000))).isFalse();
    }

    @Test
    void twilioDocumentedExampleAndHelperLibraryAgree() {
        Map<String, String> params = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+12349013030",
                "Digits", "1234", "From", "+12349013030", "To", "+18005551212");
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        Map<String, List<String>> ours = multi(params);
        assertThat(TWILIO.valid(url, ours, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isTrue();
        RequestValidator twilio = new RequestValidator("12345");
        String signed = TWILIO.sign(url, ours);
        assertThat(twilio.validate(url, params, signed)).isTrue();
        assertThat(twilio.validate(url, Map.of("CallSid", "CA1"), signed)).isFalse();
        assertThat(TWILIO.valid("https://mycompany.com:443/myapp.php?foo=1&bar=2", ours,
                "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isTrue();
        Map<String, List<String>> tampered = multi(Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+12349013030",
                "Digits", "9999", "From", "+12349013030", "To", "+18005551212"));
        assertThat(TWILIO.valid(url, tampered, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
    }

    @Test
    void twilioRepeatedParametersAreSortedAndDeduplicated() {
        Map<String, List<String>> params = Map.of("Sid", List.of("CA123"), "SidAccount", List.of("AC123"),
                "Digits", List.of("5678", "1234", "1234"));
        assertThat(TWILIO.valid("https://mycompany.com/myapp.php?foo=1&bar=2", params,
                "IK+Dwps556ElfBT0I3Rgjkr1wJU=")).isTrue();
    }

    private static Map<String, List<String>> multi(Map<String, String> params) {
        return params.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> List.of(e.getValue())));
    }
}
