package io.sipai.gateway.projection;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the read-model projector shares its work between gateway instances.
 *
 * @param sessionTimeoutMs {@code API_PROJECTION_SESSION_TIMEOUT_MS}: how long the projection's consumer group waits
 *                         for an instance that stopped answering (killed, frozen, cut off) before its partitions go
 *                         to the other instances (default 10000: Kafka's own 45000 would leave a lost instance's
 *                         share of the read model stale for most of a minute). Shorter moves it sooner; too short
 *                         also moves it on a long pause of a healthy instance. It must lie within the brokers'
 *                         {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms} (6000 and
 *                         1800000 by default). An instance that stops normally leaves the group at once.
 */
@ConfigurationProperties("api.projection")
public record ProjectionSettings(Integer sessionTimeoutMs) {

    public ProjectionSettings {
        sessionTimeoutMs = sessionTimeoutMs == null ? 10_000 : sessionTimeoutMs;
        if (sessionTimeoutMs < 1_000 || sessionTimeoutMs > 1_800_000) {
            throw new InvalidSettingException("API_PROJECTION_SESSION_TIMEOUT_MS",
                    "must be between 1000 and 1800000, was " + sessionTimeoutMs);
        }
    }

    /** Three heartbeats per session, as Kafka advises, so one lost heartbeat does not end the session. */
    public int heartbeatIntervalMs() {
        return sessionTimeoutMs / 3;
    }
}
