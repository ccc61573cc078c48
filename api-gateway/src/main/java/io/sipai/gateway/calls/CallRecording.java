package io.sipai.gateway.calls;

import java.time.OffsetDateTime;

/**
 * A call's recording as the API shows it.
 *
 * @param url         where to get it ({@code /v1/calls/{id}/recording})
 * @param contentType its type, e.g. audio/wav
 * @param durationMs  its length
 * @param recordedAt  when it was stored
 */
public record CallRecording(String url, String contentType, long durationMs, OffsetDateTime recordedAt) {
}
