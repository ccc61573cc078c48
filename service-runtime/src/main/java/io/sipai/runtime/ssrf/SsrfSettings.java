package io.sipai.runtime.ssrf;

import java.util.Arrays;
import java.util.List;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The SSRF guard's one setting (prefix {@code webhook}). A service that checks customer URLs registers it with
 * {@code @EnableConfigurationProperties(SsrfSettings.class)} and builds its guard with {@link #guard()}; code
 * without Spring uses {@link #fromCommaSeparated(String)}.
 *
 * @param allowedHosts {@code WEBHOOK_ALLOWED_HOSTS}: comma-separated {@code host}, {@code host:port} or
 *                     {@code [v6]:port} entries let through although they are internal (or not resolvable); for
 *                     development and tests only, never in production (default none)
 */
@ConfigurationProperties("webhook")
public record SsrfSettings(List<String> allowedHosts) {

    /** The environment variable of {@link #allowedHosts()}. */
    public static final String ALLOWED_HOSTS_VARIABLE = "WEBHOOK_ALLOWED_HOSTS";

    public SsrfSettings {
        allowedHosts = allowedHosts == null ? List.of() : allowedHosts.stream().map(String::strip)
                .filter(host -> !host.isEmpty()).toList();
        for (String host : allowedHosts) {
            if (!host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
                throw new InvalidSettingException(ALLOWED_HOSTS_VARIABLE, "'" + host
                        + "' is not host, host:port or [ipv6]:port");
            }
        }
    }

    /** Settings from the variable's raw value ({@code null} or blank: no allow-list). */
    public static SsrfSettings fromCommaSeparated(String value) {
        return new SsrfSettings(value == null ? List.of() : Arrays.asList(value.split(",")));
    }

    /** A guard with the system resolver and this allow-list. */
    public SsrfGuard guard() {
        return new SsrfGuard(allowedHosts);
    }
}
