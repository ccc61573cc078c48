package io.sipai.gateway.tenants.internal;

import java.util.EnumSet;

import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.runtime.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Makes sure the root tenant and its admin key {@code SIPAI_ADMIN_API_KEY} exist at start. Without the setting no
 * key is made: a generated key would have to be shown somewhere, and a log line is read by everyone who can read
 * the logs (and kept wherever they are shipped). {@code bin/sipai up} generates the key itself, keeps it in its
 * data directory and prints it on its console, never in a log file.
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
    private final String rootTenant;

    @Autowired
    public BootstrapAdminKey(ApiKeyStore keys, Settings settings) {
        this(keys, settings, Caller.ROOT_TENANT);
    }

    BootstrapAdminKey(ApiKeyStore keys, Settings settings, String rootTenant) {
        this.keys = keys;
        this.settings = settings;
        this.rootTenant = rootTenant;
    }

    @Override
    public void run(ApplicationArguments args) {
        keys.ensureTenant(rootTenant, "Default tenant");
        if (settings.adminApiKey() != null && !settings.adminApiKey().isBlank()) {
            keys.ensureKey(rootTenant, "bootstrap admin (SIPAI_ADMIN_API_KEY)", EnumSet.allOf(Scope.class),
                    settings.adminApiKey().strip());
        } else if (!keys.hasKeys(rootTenant)) {
            LOG.warn("the root tenant '{}' has no API key: set SIPAI_ADMIN_API_KEY (24+ random characters) and "
                    + "restart to administer this deployment", rootTenant);
        }
    }
}
