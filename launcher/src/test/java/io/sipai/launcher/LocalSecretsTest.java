package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-machine run's secrets: made once and kept owner-only, the master key only for the services that need it. */
class LocalSecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void aMasterKeyIsMadeOnceAndKeptAcrossStarts() throws Exception {
        // given a first and a second start on the same data directory
        Map<String, String> first = new HashMap<>();
        LocalSecrets.loadOrCreate(dataDir).addTo(first);
        Map<String, String> second = new HashMap<>();
        LocalSecrets.loadOrCreate(dataDir).addTo(second);

        // then both get the same 32-byte key under one key id, from an owner-only file
        String keys = first.get(LocalSecrets.SECRETS_KEYS);
        assertThat(keys).startsWith("local1:").isEqualTo(second.get(LocalSecrets.SECRETS_KEYS));
        assertThat(Base64.getDecoder().decode(keys.substring("local1:".length()))).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dataDir.resolve("local-secrets.properties")))).isEqualTo("rw-------");
    }

    @Test
    void onlyTheGatewayAndTheDispatcherGetTheMasterKeys() throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(LocalSecrets.SECRETS_ACTIVE_KEY, "local1"));
        LocalSecrets.loadOrCreate(dataDir).addTo(environment);

        for (String holder : new String[] {"api-gateway", "webhook-dispatcher"}) {
            assertThat(LocalSecrets.forService(holder, environment))
                    .containsKeys(LocalSecrets.SECRETS_KEYS, LocalSecrets.SECRETS_ACTIVE_KEY);
        }
        for (String other : new String[] {"realtime-edge", "stream-processors"}) {
            assertThat(LocalSecrets.forService(other, environment))
                    .doesNotContainKeys(LocalSecrets.SECRETS_KEYS, LocalSecrets.SECRETS_ACTIVE_KEY)
                    .containsKey(LocalSecrets.TOKEN_SECRET);
        }
    }

    @Test
    void aKeyGivenInTheEnvironmentWins() throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(LocalSecrets.SECRETS_KEYS, "ops:given"));

        LocalSecrets.loadOrCreate(dataDir).addTo(environment);

        assertThat(environment).containsEntry(LocalSecrets.SECRETS_KEYS, "ops:given");
    }
}
