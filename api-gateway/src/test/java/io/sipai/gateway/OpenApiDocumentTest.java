package io.sipai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document is the one checked in under docs/, and it names every problem-bearing path. */
class OpenApiDocumentTest extends GatewayTest {

    @Test
    void servedDocumentEqualsDocsOpenapiJson() throws IOException {
        String checkedIn = Files.readString(Path.of("../docs/openapi.json"), StandardCharsets.UTF_8);
        Answer served = call("GET", "/v1/openapi.json", null, null);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.response().body()).isEqualTo(checkedIn);
        assertThat(served.json().get("paths").has("/v1/calls/{id}/timeline")).isTrue();
    }
}
