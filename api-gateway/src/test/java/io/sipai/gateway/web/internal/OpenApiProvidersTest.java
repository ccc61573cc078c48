package io.sipai.gateway.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The served OpenAPI document lists the registered telephony providers as the values of a call's provider. */
class OpenApiProvidersTest {

    @Test
    void givenTheDocumentedProviders_whenTheDocumentIsLoaded_thenItIsTheCheckedInFileByteForByte() throws IOException {
        // when
        byte[] served = OpenApiDocument.load(List.of("jambonz", "twilio"));
        // then
        assertThat(served).isEqualTo(Files.readAllBytes(Path.of("../docs/openapi.json")));
    }

    @Test
    void givenAnotherProvider_whenTheDocumentIsLoaded_thenTheProviderValuesAreTheRegisteredOnes() throws IOException {
        // when
        JsonNode served = JsonMapper.builder().build().readTree(OpenApiDocument.load(List.of("jambonz", "twilio",
                "vonage")));
        // then
        assertThat(served.at("/components/schemas/PlaceCall/properties/provider/enum"))
                .extracting(JsonNode::stringValue).containsExactly("jambonz", "twilio", "vonage");
    }
}
