package io.sipai.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonWriter;

/** Credentials in URLs and headers never reach a log line; the rest of the line stays as it was. */
class LogRedactionTest {

    @Test
    void credentialQueryParametersAreMaskedAndOthersKept() {
        // given
        String line = "upgrade GET /realtime/voice?agentId=a1&api_key=sk_live_123&token=tok.abc.def"
                + " then /x?sig=deadbeef;signature=c2ln&apiKey=k2&page=2";
        // when
        String logged = LogRedaction.text(line);
        // then
        assertThat(logged).doesNotContain("sk_live_123", "tok.abc.def", "deadbeef", "c2ln", "k2&")
                .contains("agentId=a1", "api_key=[REDACTED]", "token=[REDACTED]", "sig=[REDACTED]",
                        "signature=[REDACTED]", "page=2");
    }

    @Test
    void credentialHeadersAreMaskedInEveryRenderedForm() {
        // given
        String plain = "headers Authorization: Bearer sk_abc\nX-API-Key: sk_def\nAccept: */*";
        String map = "{authorization=[Basic dXNlcjpwYXNz], x-twilio-signature=[c2ln], host=[edge]}";
        String json = "{\"X-Api-Key\":\"sk_ghi\",\"Jambonz-Signature\":\"t=1,v1=ab\"}";
        // when
        String all = LogRedaction.text(plain) + LogRedaction.text(map) + LogRedaction.text(json);
        // then
        assertThat(all).doesNotContain("sk_abc", "sk_def", "dXNlcjpwYXNz", "c2ln", "sk_ghi", "v1=ab")
                .contains("Accept: */*", "host=[edge]");
    }

    @Test
    void aCredentialHeaderValueIsMaskedByName() {
        // when / then
        assertThat(LogRedaction.header("X-Twilio-Signature", "abc")).isEqualTo(LogRedaction.MASK);
        assertThat(LogRedaction.header("User-Agent", "curl/8")).isEqualTo("curl/8");
    }

    @Test
    void theStructuredLogCustomizerRedactsEveryTextMember() {
        // given
        JsonWriter<String> writer = JsonWriter.of(members -> {
            members.add("message", message -> message);
            members.add("count", 3);
            new RedactingLogCustomizer().customize(castMembers(members));
        });
        // when
        String line = writer.writeToString("GET /v1/calls?api_key=sk_secret_1 failed");
        // then
        assertThat(line).doesNotContain("sk_secret_1").contains("api_key=[REDACTED]", "\"count\":3");
    }

    @SuppressWarnings("unchecked")
    private static JsonWriter.Members<Object> castMembers(JsonWriter.Members<?> members) {
        return (JsonWriter.Members<Object>) members;
    }
}
