package io.sipai.gateway.tenants.internal;

import java.util.EnumSet;

import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.runtime.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Makes sure the root tenant and an admin key exist at start: {@code SIPAI_ADMIN_API_KEY} when set (so scripts
 * know it), else a random key printed once, the first time the database has no key for the root tenant.
 */
@Component
@EnableConfigurationProperties(BootstrapAdminKey.Settings.class)
public class BootstrapAdminKey implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdminKey.class);

    /** @param adminApiKey {@code SIPAI_ADMIN_API_KEY}: the root tenant's admin key (optional, 24+ characters) */
    @ConfigurationProperties("sipai")
    public record Settings(String adminApiKey) {
        public Settings {
            if (adminApiKey != null && !adminApiKey.isBlank() && adminApiKey.strip().length() < 24) {
                throw new InvalidSettingException("SIPAI_ADMIN_API_KEY", "must be at least 24 characters");
            }
        }
    }

    private final ApiKeyStore keys;
    private final Settings settings;

    public BootstrapAdminKey(ApiKeyStore keys, Settings settings) {
        this.keys = keys;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        keys.ensureTenant(Caller.ROOT_TENANT, "Default tenant");
        EnumSet<Scope> all = EnumSet.allOf(Scope.class);
        if (settings.adminApiKey() != null && !settings.adminApiKey().isBlank()) {
            keys.ensureKey(Caller.ROOT_TENANT, "bootstrap admin (SIPAI_ADMIN_API_KEY)", all,
                    settings.adminApiKey().strip());
        } else if (!keys.hasKeys(Caller.ROOT_TENANT)) {
            String key = keys.create(Caller.ROOT_TENANT, "bootstrap admin", all).key();
            // Printed once on purpose: it is the only way to learn a generated key.
            LOG.warn("bootstrap admin API key (shown once, store it): {}", key);
        }
    }
}
