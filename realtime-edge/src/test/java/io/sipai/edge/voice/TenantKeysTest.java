package io.sipai.edge.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.config.ApiKeyGrant;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's API key created through api-gateway opens {@code /realtime/voice} for that tenant as soon as its grant
 * is on {@code tenant.api-keys.v1} (only the key's digest travels), a read-only key does not, and a revoked one (a
 * tombstone) is refused from then on.
 */
class TenantKeysTest extends EdgeIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aGrantedWriteKeyPlacesACallForItsTenantUntilItIsRevoked() throws Exception {
        // given a key the gateway granted with the write scope
        String key = "sk_" + UUID.randomUUID().toString().replace("-", "");
        grant(key, "tenant-k", List.of("read", "write"));

        // when a client connects with it, then the connection is accepted and a call starts for that tenant
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            try (WsClient client = WsClient.connect(ws("/realtime/voice?api_key=" + key))) {
                client.text("{\"t\":\"start\",\"callId\":\"tk-" + UUID.randomUUID() + "\"}");
                assertThat(JSON.readTree(client.nextText()).path("t").asString()).isEqualTo("connected");
            }
        });

        // and when the key is revoked, then it is refused before the upgrade
        revoke(key);
        await().atMost(WAIT).untilAsserted(() -> assertRefused("/realtime/voice?api_key=" + key));
    }

    @Test
    void aReadOnlyKeyAndAnUnknownKeyAreRefused() {
        // given a key granted to read only
        String readOnly = "sk_" + UUID.randomUUID().toString().replace("-", "");
        grant(readOnly, "tenant-r", List.of("read"));
        String known = "sk_" + UUID.randomUUID().toString().replace("-", "");
        grant(known, "tenant-r", List.of("write"));
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            WsClient.connect(ws("/realtime/voice?api_key=" + known)).close();
            return true;
        });

        // when either it or a key never granted is used, then both are refused 401
        assertRefused("/realtime/voice?api_key=" + readOnly);
        assertRefused("/realtime/voice?api_key=sk_never_granted_0000000000");
    }

    private static void grant(String key, String tenantId, List<String> scopes) {
        TestKafka.produce(Topics.TENANT_API_KEYS, digest(key), List.of(ApiKeyGrant.newBuilder()
                .setKeyId("key_" + UUID.randomUUID()).setTenantId(tenantId).setScopes(scopes)
                .setUpdatedAt(Instant.now()).build()));
    }

    private static void revoke(String key) {
        TestKafka.produce(Topics.TENANT_API_KEYS, digest(key), Collections.singletonList(null));
    }

    private void assertRefused(String path) {
        assertThatThrownBy(() -> WsClient.connect(ws(path), Map.of(), List.of()))
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, e -> assertThat(e.status).isEqualTo(401));
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
