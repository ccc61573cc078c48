package io.sipai.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.twilio.security.RequestValidator;
import org.junit.jupiter.api.Test;

/** Twilio signatures against Twilio's own validator and the published vectors; API keys; signed URLs. */
class SignaturesTest {

    @Test
    void twilioSignatureOfAWebSocketUrlMatchesTwilioHelperLibrary() {
        String url = "wss://edge.example.com/telephony/twilio/stream";
        String signature = new TwilioSignature("12345").sign(url);
        assertThat(new RequestValidator("12345").validate(url, java.util.Map.of(), signature)).isTrue();
        assertThat(new TwilioSignature("12345").valid(url, signature)).isTrue();
        assertThat(new TwilioSignature("12345").valid("wss://edge.example.com:443/telephony/twilio/stream",
                signature)).isTrue();
        assertThat(new TwilioSignature("12346").valid(url, signature)).isFalse();
    }

    @Test
    void twilioSignatureVectorFromTheDocs() {
        // Vector A of the protocol sheet; the POST parameters are appended sorted, without delimiters.
        String signed = "https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+12349013030"
                + "Digits1234From+12349013030To+18005551212";
        assertThat(new TwilioSignature("12345").sign(signed)).isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    }

    @Test
    void apiKeysResolveTheirTenant() {
        ApiKeys keys = new ApiKeys("plain-key-123, acme:acme-key-456");
        assertThat(keys.tenantOf("plain-key-123")).isEqualTo(ApiKeys.DEFAULT_TENANT);
        assertThat(keys.tenantOf("acme-key-456")).isEqualTo("acme");
        assertThat(keys.tenantOf("acme:acme-key-456")).isNull();
        assertThat(keys.tenantOf("")).isNull();
    }

    @Test
    void signedUrlsExpireAndAreBoundToPathAndTenant() {
        SignedUrls urls = new SignedUrls("0123456789abcdef-secret");
        Instant now = Instant.ofEpochSecond(1_000_000);
        String sig = urls.sign("/realtime/voice", "acme", 1_000_060);
        assertThat(urls.verify("/realtime/voice", "acme", "1000060", sig, now)).isEqualTo(SignedUrls.Result.VALID);
        assertThat(urls.verify("/realtime/voice", "other", "1000060", sig, now))
                .isEqualTo(SignedUrls.Result.INVALID);
        assertThat(urls.verify("/v1/realtime/voice", "acme", "1000060", sig, now))
                .isEqualTo(SignedUrls.Result.INVALID);
        assertThat(urls.verify("/realtime/voice", "acme", "1000060", sig, now.plusSeconds(61)))
                .isEqualTo(SignedUrls.Result.EXPIRED);
    }
}
