package io.sipai.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API keys: authentication by X-API-Key or Bearer, scopes, revocation, public paths. */
class ApiKeysTest extends GatewayTest {

    @Test
    void requestWithoutKeyIs401ButHealthAndOpenApiArePublic() {
        assertThat(call("GET", "/v1/agents", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/v1/agents", "sk_wrong", null).json().get("type").stringValue())
                .endsWith("/unauthenticated");
        assertThat(call("GET", "/v1/health", null, null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/openapi.json", null, null).status()).isEqualTo(200);
    }

    @Test
    void bearerTokenAuthenticatesLikeTheHeader() {
        Answer answer = send(java.net.http.HttpRequest.newBuilder(uri("/v1/agents"))
                .header("Authorization", "Bearer " + ADMIN_KEY).build());
        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void revokedKeyIsRefusedAtOnce() {
        // given
        String admin = newTenant("revoker");
        Answer created = call("POST", "/v1/api-keys", admin, Map.of("name", "ci", "scopes", List.of("read")));
        String key = created.json().get("key").stringValue();
        assertThat(call("GET", "/v1/agents", key, null).status()).isEqualTo(200);
        // when
        Answer revoked = call("DELETE", "/v1/api-keys/" + created.json().get("id").stringValue(), admin, null);
        // then
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(call("GET", "/v1/agents", key, null).status()).isEqualTo(401);
        assertThat(call("GET", "/v1/api-keys", admin, null).json().get("data").toString()).doesNotContain(key);
    }

    @Test
    void readOnlyKeyCannotWriteAndNonAdminCannotMintKeys() {
        String admin = newTenant("scoped");
        String reader = newKey(admin, List.of("read"));
        Answer write = call("POST", "/v1/agents", reader, Map.of("name", "x"));
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().get("type").stringValue()).endsWith("/insufficient-scope");
        assertThat(call("POST", "/v1/api-keys", reader, Map.of("name", "y", "scopes", List.of("admin"))).status())
                .isEqualTo(403);
        assertThat(call("POST", "/v1/tenants", admin, Map.of("name", "z")).status()).isEqualTo(403);
    }

    @Test
    void anotherTenantsKeyCannotBeRevoked() {
        String first = newTenant("first");
        String second = newTenant("second");
        String keyId = call("GET", "/v1/api-keys", first, null).json().get("data").get(0).get("id").stringValue();
        assertThat(call("DELETE", "/v1/api-keys/" + keyId, second, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/agents", first, null).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/%76%31/agents", "/v1;x=y/agents", "/v1/agents;x=y", "//v1/agents", "/v1//agents",
            "/v1/health/../agents", "/v1/./agents"})
    void givenAnEncodedOrParameterisedSpellingOfAV1Path_whenRequestedWithoutAKey_thenItIs401(String path) {
        // when
        RawHttp.Response answer = new RawHttp(port).request("GET", path, Map.of(), null);
        // then
        assertThat(answer.status()).as(answer.text()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).endsWith("/unauthenticated");
    }

    @Test
    void givenAParameterisedSpellingOfAPublicPath_whenRequestedWithoutAKey_thenItIsStillPublic() {
        // when
        RawHttp.Response answer = new RawHttp(port).request("GET", "/v1/health;v=1", Map.of(), null);
        // then
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }
}
