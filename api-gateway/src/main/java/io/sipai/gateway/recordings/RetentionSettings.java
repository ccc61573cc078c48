package io.sipai.gateway.recordings;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long call recordings are kept (prefix {@code recordings.retention}).
 *
 * @param days           {@code RECORDINGS_RETENTION_DAYS}: days a recording is kept before api-gateway deletes it,
 *                       for tenants that set no retention of their own ({@code PUT /v1/recordings/retention});
 *                       0 (default) keeps them until deleted
 * @param sweepIntervalSec {@code RECORDINGS_RETENTION_SWEEP_INTERVAL_SEC}: how often expired recordings are looked
 *                       for (default 3600)
 */
@ConfigurationProperties("recordings.retention")
public record RetentionSettings(Integer days, Integer sweepIntervalSec) {

    public RetentionSettings {
        days = days == null ? 0 : days;
        if (days < 0 || days > 36_500) {
            throw new InvalidSettingException("RECORDINGS_RETENTION_DAYS", "must be between 0 (keep) and 36500, was "
                    + days);
        }
        sweepIntervalSec = sweepIntervalSec == null ? 3600 : sweepIntervalSec;
        if (sweepIntervalSec < 1 || sweepIntervalSec > 86_400) {
            throw new InvalidSettingException("RECORDINGS_RETENTION_SWEEP_INTERVAL_SEC", "must be between 1 and "
                    + "86400, was " + sweepIntervalSec);
        }
    }
}
