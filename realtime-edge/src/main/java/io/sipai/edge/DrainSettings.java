package io.sipai.edge;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Shutdown behaviour.
 *
 * @param timeoutSec {@code DRAIN_TIMEOUT_SEC}: on SIGTERM, how long live calls may continue before they are
 *                   closed with 1001 (default 30)
 */
@ConfigurationProperties("drain")
public record DrainSettings(Integer timeoutSec) {

    public DrainSettings {
        timeoutSec = timeoutSec == null ? 30 : timeoutSec;
        if (timeoutSec < 0 || timeoutSec > 3600) {
            throw new InvalidSettingException("DRAIN_TIMEOUT_SEC", "must be between 0 and 3600, was " + timeoutSec);
        }
    }
}
