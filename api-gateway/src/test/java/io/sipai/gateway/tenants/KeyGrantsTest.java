package io.sipai.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.sipai.config.ApiKeyGrant;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;

/**
 * Keys made through {@code /v1/api-keys} reach the services that authenticate without the database: creating one
 * publishes its grant on {@code tenant.api-keys.v1} under the key's SHA-256 digest (never the key), revoking it a
 * tombstone, acknowledged before the API answers; a key with the admin scope is never granted.
 */
class KeyGrantsTest extends GatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aCreatedKeyIsGrantedUnderItsDigestAndARevokedOneIsTombstoned() {
        // given a tenant's admin
        String admin = newTenant("grants");
        String tenantId = tenantOf(admin);

        // when it creates a key, then the key's grant is on the topic under its digest, with its tenant and scopes
        Answer created = call("POST", "/v1/api-keys", admin, Map.of("name", "sdk", "scopes", List.of("write")));
        String key = created.json().get("key").stringValue();
        String keyId = created.json().get("id").stringValue();
        await().atMost(WAIT).untilAsserted(() -> {
            ApiKeyGrant grant = latest(digest(key));
            assertThat(grant).isNotNull();
            assertThat(grant.getTenantId()).isEqualTo(tenantId);
            assertThat(grant.getKeyId()).isEqualTo(keyId);
            assertThat(grant.getScopes()).containsExactly("write");
        });
        assertThat(TestKafka.readAll(Topics.TENANT_API_KEYS)).noneMatch(entry -> entry.getKey().contains(key)
                || String.valueOf(entry.getValue()).contains(key));

        // and the admin key, which may manage the tenant, is never granted
        assertThat(latest(digest(admin))).isNull();

        // and when it revokes the key, then the answer comes after the tombstone is on the topic
        assertThat(call("DELETE", "/v1/api-keys/" + keyId, admin, null).status()).isEqualTo(204);
        List<Map.Entry<String, ApiKeyGrant>> forKey = TestKafka.readAll(Topics.TENANT_API_KEYS).stream()
                .filter(entry -> entry.getKey().equals(digest(key))).toList();
        assertThat(forKey.getLast().getValue()).isNull();
    }

    private static ApiKeyGrant latest(String digest) {
        ApiKeyGrant latest = null;
        for (Map.Entry<String, ApiKeyGrant> entry : TestKafka.readAll(Topics.TENANT_API_KEYS)) {
            if (entry.getKey().equals(digest)) {
                latest = entry.getValue();
            }
        }
        return latest;
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
