package io.sipai.gateway.calls;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The live streams: of one call ({@code GET /v1/calls/{id}/events}) and of a tenant's calls
 * ({@code GET /v1/calls/events}), Server-Sent Events.
 *
 * @param eventsPollIntervalMs {@code API_EVENTS_POLL_INTERVAL_MS}: how often the open streams look for newly
 *                             projected entries and changed calls (default 200); one query per kind covers every
 *                             open stream, so the cost does not grow with the number of streams
 * @param eventsMaxStreams     {@code API_EVENTS_MAX_STREAMS}: open streams (of both kinds) this instance serves at
 *                             once (default 1000); past them a new one is answered 503 (problem type
 *                             too-many-streams)
 */
@ConfigurationProperties("api")
public record EventStreamSettings(Integer eventsPollIntervalMs, Integer eventsMaxStreams) {

    public EventStreamSettings {
        eventsPollIntervalMs = eventsPollIntervalMs == null ? 200 : eventsPollIntervalMs;
        if (eventsPollIntervalMs < 20 || eventsPollIntervalMs > 5_000) {
            throw new InvalidSettingException("API_EVENTS_POLL_INTERVAL_MS", "must be between 20 and 5000");
        }
        eventsMaxStreams = eventsMaxStreams == null ? 1_000 : eventsMaxStreams;
        if (eventsMaxStreams < 1) {
            throw new InvalidSettingException("API_EVENTS_MAX_STREAMS", "must be positive");
        }
    }
}
