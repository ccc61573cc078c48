package io.sipai.gateway.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The root tenant's admin key never appears in the log: without SIPAI_ADMIN_API_KEY none is generated (the one
 * place to show it would be the log), and a configured one is stored, not echoed.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootstrapAdminKeyTest extends GatewayTest {

    @Autowired
    private ApiKeyStore keys;

    @Test
    void withoutAConfiguredKeyNoKeyIsMadeAndNoneIsLogged(CapturedOutput output) {
        // given a root tenant without keys
        String root = "root-" + UUID.randomUUID();
        // when
        new BootstrapAdminKey(keys, new BootstrapAdminKey.Settings(null), root).run(null);
        // then
        assertThat(keys.hasKeys(root)).isFalse();
        assertThat(output.getAll()).doesNotContain("sk_").contains("SIPAI_ADMIN_API_KEY");
    }

    @Test
    void aConfiguredKeyIsStoredButNotLogged(CapturedOutput output) {
        // given
        String root = "root-" + UUID.randomUUID();
        String key = "sk_configured_" + UUID.randomUUID().toString().replace("-", "");
        // when
        new BootstrapAdminKey(keys, new BootstrapAdminKey.Settings(key), root).run(null);
        // then
        assertThat(keys.authenticate(key)).hasValueSatisfying(caller ->
                assertThat(caller.tenantId()).isEqualTo(root));
        assertThat(output.getAll()).doesNotContain(key);
    }
}
