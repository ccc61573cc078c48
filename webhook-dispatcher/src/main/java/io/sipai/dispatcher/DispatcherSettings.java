package io.sipai.dispatcher;

import java.time.Duration;

import io.sipai.dispatcher.instances.DispatcherInstances;
import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the webhook dispatcher (prefix {@code webhook}, environment variables {@code WEBHOOK_*}).
 *
 * The SSRF allow-list ({@code WEBHOOK_ALLOWED_HOSTS}) is {@link io.sipai.runtime.ssrf.SsrfSettings}, shared with
 * the other services that check customer URLs.
 *
 * @param connectTimeout            {@code WEBHOOK_CONNECT_TIMEOUT}: TCP/TLS connect timeout (default 5s)
 * @param requestTimeout            {@code WEBHOOK_REQUEST_TIMEOUT}: whole-request timeout (default 15s)
 * @param maxConcurrencyPerEndpoint {@code WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT}: open requests per subscription
 *                                  (default 8)
 * @param applicationId             {@code WEBHOOK_APPLICATION_ID}: Kafka Streams application id (default
 *                                  webhook-dispatcher)
 * @param tick                      {@code WEBHOOK_TICK}: how often retry timers are checked (default 100ms)
 * @param apiBaseUrl                {@code WEBHOOK_API_BASE_URL}: public API base URL for thin events' links;
 *                                  required in a deployment (the default is the one-machine api-gateway)
 * @param stateDir                  {@code WEBHOOK_STATE_DIR}: Kafka Streams state directory (default: a new
 *                                  temporary directory; state is rebuilt from changelogs)
 * @param streamThreads             {@code WEBHOOK_STREAM_THREADS}: Kafka Streams threads (default 1)
 * @param commitInterval            {@code WEBHOOK_COMMIT_INTERVAL}: Kafka Streams commit interval; a new delivery
 *                                  waits for the fan-out's commit, so this bounds part of the latency, and each
 *                                  commit is a transaction round trip (default 100ms)
 * @param sessionTimeout            {@code WEBHOOK_SESSION_TIMEOUT}: Kafka Streams consumer session timeout, how
 *                                  long a dead instance's deliveries wait before another instance takes them over
 *                                  (default 45s, Kafka's own; shorter fails over sooner but rebalances on long
 *                                  pauses)
 * @param instancesRefresh          {@code WEBHOOK_INSTANCES_REFRESH}: how often an instance counts the live
 *                                  instances to take its share of the per-endpoint cap (default 5s, at most 5s)
 */
@ConfigurationProperties("webhook")
public record DispatcherSettings(Duration connectTimeout, Duration requestTimeout,
                                 Integer maxConcurrencyPerEndpoint, String applicationId, Duration tick,
                                 String apiBaseUrl, String stateDir, Integer streamThreads,
                                 Duration commitInterval, Duration sessionTimeout, Duration instancesRefresh) {

    /** The API of the one-machine run (bin/sipai up). */
    static final String LOCAL_API = "http://localhost:8080"; // dev-url-guard: allow

    public DispatcherSettings {
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "WEBHOOK_CONNECT_TIMEOUT");
        requestTimeout = positive(requestTimeout, Duration.ofSeconds(15), "WEBHOOK_REQUEST_TIMEOUT");
        tick = positive(tick, Duration.ofMillis(100), "WEBHOOK_TICK");
        commitInterval = positive(commitInterval, Duration.ofMillis(100), "WEBHOOK_COMMIT_INTERVAL");
        sessionTimeout = within(sessionTimeout, Duration.ofSeconds(45), Duration.ofSeconds(1), Duration.ofMinutes(5),
                "WEBHOOK_SESSION_TIMEOUT");
        // A starting instance holds its deliveries for one refresh plus one request (see startupHold): a refresh
        // longer than the in-flight timeout's 10 s margin would let the scheduler re-send runs still held.
        instancesRefresh = within(instancesRefresh, Duration.ofSeconds(5), Duration.ofMillis(100),
                Duration.ofSeconds(5), "WEBHOOK_INSTANCES_REFRESH");
        maxConcurrencyPerEndpoint = maxConcurrencyPerEndpoint == null ? 8 : maxConcurrencyPerEndpoint;
        if (maxConcurrencyPerEndpoint < 1 || maxConcurrencyPerEndpoint > 1_000) {
            throw new InvalidSettingException("WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT",
                    "must be between 1 and 1000, was " + maxConcurrencyPerEndpoint);
        }
        streamThreads = streamThreads == null ? 1 : streamThreads;
        if (streamThreads < 1 || streamThreads > 32) {
            throw new InvalidSettingException("WEBHOOK_STREAM_THREADS", "must be between 1 and 32, was "
                    + streamThreads);
        }
        applicationId = applicationId == null || applicationId.isBlank() ? "webhook-dispatcher" : applicationId;
        if (!applicationId.matches("[A-Za-z0-9._\\-]+")) {
            throw new InvalidSettingException("WEBHOOK_APPLICATION_ID", "'" + applicationId
                    + "' may only contain letters, digits, '.', '_' and '-'");
        }
        apiBaseUrl = apiBaseUrl == null || apiBaseUrl.isBlank() ? LOCAL_API : apiBaseUrl.strip();
        if (!apiBaseUrl.matches("https?://\\S+")) {
            throw new InvalidSettingException("WEBHOOK_API_BASE_URL", "'" + apiBaseUrl + "' is not an http(s) URL");
        }
    }

    /** Time after which an attempt whose result never came back is sent again. */
    public Duration inFlightTimeout() {
        return connectTimeout.plus(requestTimeout).plusSeconds(10);
    }

    /**
     * How long an instance trusts its last count of the live instances: one refresh plus the time a count may take
     * (its request timeout) and a second for the poll that starts it; an instance with no newer count opens nothing.
     */
    public Duration instancesCountValidity() {
        return instancesRefresh.plus(DispatcherInstances.COUNT_TIMEOUT).plusSeconds(1);
    }

    /** How long a larger share of the cap waits after a count allowed it: one request of an instance that left. */
    public Duration shareRaiseDelay() {
        return connectTimeout.plus(requestTimeout);
    }

    /**
     * How long a starting instance that finds other instances running sends nothing: until every other instance
     * has counted it or stopped trusting its last count ({@link #instancesCountValidity()}), and finished the
     * requests it opened under its larger share (one request).
     */
    public Duration startupHold() {
        return instancesCountValidity().plus(connectTimeout).plus(requestTimeout);
    }

    /** Heartbeats of the Streams consumer: a third of the session timeout, at most Kafka's default 3 s. */
    public Duration heartbeatInterval() {
        Duration third = sessionTimeout.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(3)) < 0 ? third : Duration.ofSeconds(3);
    }

    private static Duration within(Duration value, Duration fallback, Duration min, Duration max, String variable) {
        Duration result = value == null ? fallback : value;
        if (result.compareTo(min) < 0 || result.compareTo(max) > 0) {
            throw new InvalidSettingException(variable, "must be between " + min + " and " + max + ", was "
                    + result);
        }
        return result;
    }

    private static Duration positive(Duration value, Duration fallback, String variable) {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new InvalidSettingException(variable, "must be positive, was " + result);
        }
        return result;
    }
}
