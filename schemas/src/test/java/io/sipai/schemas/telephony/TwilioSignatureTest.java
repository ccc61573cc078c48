package io.sipai.schemas.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Twilio's published signature vectors (../shared/protocols/twilio-media-streams.md, section 7.1). */
class TwilioSignatureTest {

    private static final TwilioSignature TWILIO = new TwilioSignature("12345");
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

    private static Map<String, List<String>> params(String... pairs) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return params;
    }

    @Test
    void theDocumentedExampleSignsAndVerifies() {
        Map<String, List<String>> params = params("CallSid", "CA1234567890ABCDE", "Caller", "+12349013030",
                "Digits", "1234", "From", "+12349013030", "To", "+18005551212");

        assertThat(TWILIO.sign(URL, params)).isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assertThat(TWILIO.valid(URL, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isTrue();
        assertThat(TWILIO.valid(URL, params("CallSid", "CA1"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
        assertThat(new TwilioSignature("12346").valid(URL, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
    }

    @Test
    void theHelperLibraryVectorsHoldWithAndWithoutTheDefaultPort() {
        Map<String, List<String>> params = params("CallSid", "CA1234567890ABCDE", "Digits", "1234", "From",
                "+14158675309", "To", "+18005551212", "Caller", "+14158675309");

        assertThat(TWILIO.sign(URL, params)).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(TWILIO.sign("https://mycompany.com:443/myapp.php?foo=1&bar=2", params))
                .isEqualTo("kvajT1Ptam85bY51eRf/AJRuM3w=");
        assertThat(TWILIO.sign("http://mycompany.com:80/myapp.php?foo=1&bar=2", params))
                .isEqualTo("0ZXoZLH/DfblKGATFgpif+LLRf4=");
        assertThat(TWILIO.valid("https://mycompany.com:443/myapp.php?foo=1&bar=2", params,
                "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
        assertThat(TWILIO.valid(URL, params, "kvajT1Ptam85bY51eRf/AJRuM3w=")).isTrue();
    }

    @Test
    void repeatedParametersAreSortedByValue() {
        Map<String, List<String>> params = params("Sid", "CA123", "SidAccount", "AC123", "Digits", "5678",
                "Digits", "1234");

        assertThat(TWILIO.sign(URL, params)).isEqualTo("IK+Dwps556ElfBT0I3Rgjkr1wJU=");
    }

    @Test
    void aWebSocketUpgradeIsSignedOverItsUrlAloneAndNothingVerifiesWithoutAToken() {
        String url = "wss://edge.example.com/telephony/twilio/stream";
        String signature = TWILIO.sign(url);

        assertThat(TWILIO.valid("wss://edge.example.com:443/telephony/twilio/stream", signature)).isTrue();
        assertThat(new TwilioSignature(" ").configured()).isFalse();
        assertThat(new TwilioSignature(null).valid(url, signature)).isFalse();
    }
}
