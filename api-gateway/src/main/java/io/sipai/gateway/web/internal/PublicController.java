package io.sipai.gateway.web.internal;

import java.io.IOException;
import java.util.Map;

import io.sipai.gateway.telephony.TelephonyProviders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public paths of /v1: a smoke-test health answer and the OpenAPI document ({@link OpenApiDocument}). */
@RestController
public class PublicController {

    private final byte[] openApi;

    public PublicController(TelephonyProviders providers) throws IOException {
        this.openApi = OpenApiDocument.load(providers.names());
    }

    @GetMapping("/v1/health")
    public Map<String, String> health() {
        return Map.of("status", "ok", "service", "api-gateway");
    }

    @GetMapping("/v1/openapi.json")
    public ResponseEntity<byte[]> openApi() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(openApi);
    }
}
