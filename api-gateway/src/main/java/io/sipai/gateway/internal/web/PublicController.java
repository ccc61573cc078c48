package io.sipai.gateway.internal.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public paths of /v1: a smoke-test health answer and the OpenAPI document (also docs/openapi.json). */
@RestController
public class PublicController {

    /** Classpath location of the OpenAPI document. */
    public static final String OPENAPI_RESOURCE = "/openapi/openapi.json";

    private final byte[] openApi;

    public PublicController() throws IOException {
        try (InputStream in = PublicController.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
            }
            this.openApi = in.readAllBytes();
        }
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
