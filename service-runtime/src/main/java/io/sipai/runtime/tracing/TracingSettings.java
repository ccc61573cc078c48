package io.sipai.runtime.tracing;

import java.net.URI;
import java.time.Duration;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where a service sends its spans: the standard OpenTelemetry exporter variables, so the same environment serves an
 * OpenTelemetry Collector, Grafana Tempo, Jaeger or AWS X-Ray (through the collector or the ADOT sidecar).
 *
 * @param endpoint {@code OTEL_EXPORTER_OTLP_ENDPOINT} base URL of an OTLP/HTTP receiver (protobuf), e.g.
 *                 {@code http://otel-collector:4318}; spans are posted to {@code <endpoint>/v1/traces}. Unset (the
 *                 default): tracing is off and costs nothing (no span is made, no header written)
 * @param timeout  {@code OTEL_EXPORTER_OTLP_TIMEOUT} how long one export may take, in milliseconds (default 10000);
 *                 a batch that cannot be sent in time is dropped, never the work it describes
 */
@ConfigurationProperties("otel.exporter.otlp")
public record TracingSettings(String endpoint, Long timeout) {

    public TracingSettings {
        endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.strip();
        timeout = timeout == null ? 10_000L : timeout;
        if (endpoint != null) {
            URI uri;
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("OTEL_EXPORTER_OTLP_ENDPOINT", "is not a URL: " + endpoint);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidSettingException("OTEL_EXPORTER_OTLP_ENDPOINT",
                        "must be an http:// or https:// URL, was " + endpoint);
            }
        }
        if (timeout < 100 || timeout > 600_000) {
            throw new InvalidSettingException("OTEL_EXPORTER_OTLP_TIMEOUT",
                    "must be between 100 and 600000 (milliseconds), was " + timeout);
        }
    }

    /** Tracing off. */
    public static TracingSettings off() {
        return new TracingSettings(null, null);
    }

    public boolean on() {
        return endpoint != null;
    }

    /** Where the OTLP/HTTP exporter posts spans. */
    public String tracesUrl() {
        return endpoint.replaceAll("/+$", "") + "/v1/traces";
    }

    public Duration exportTimeout() {
        return Duration.ofMillis(timeout);
    }
}
