package io.sipai.dispatcher.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: immediately, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h
 * (8 attempts, the Svix schedule), each delay with +-20 % jitter so a recovering endpoint is not hit by every
 * retry at once. A {@code Retry-After} on 429/503 replaces the scheduled delay, clamped to
 * [{@link #MIN_RETRY_AFTER}, {@link #MAX_RETRY_AFTER}] so a receiver can neither make us hammer it nor park a
 * delivery forever.
 */
public final class RetryPolicy {

    /** Delays after the 1st, 2nd, ... failed attempt. */
    public static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(10));
    /** Attempts in total, the first one included. */
    public static final int MAX_ATTEMPTS = DELAYS.size() + 1;
    /** Jitter as a fraction of the delay. */
    public static final double JITTER = 0.2;
    /** Shortest Retry-After honoured. */
    public static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
    /** Longest Retry-After honoured. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(10);

    private final RandomGenerator random;

    /** @param random source of jitter (seeded in tests) */
    public RetryPolicy(RandomGenerator random) {
        this.random = random;
    }

    /**
     * When to try again after attempt {@code attempt} failed, or empty when retries are exhausted.
     *
     * @param attempt    1-based number of the attempt that failed
     * @param failedAt   when it failed
     * @param retryAfter the response's Retry-After header on 429/503, else null
     */
    public Optional<Instant> nextAttemptAt(int attempt, Instant failedAt, String retryAfter) {
        if (attempt >= MAX_ATTEMPTS) {
            return Optional.empty();
        }
        Optional<Duration> asked = parseRetryAfter(retryAfter, failedAt);
        if (asked.isPresent()) {
            return Optional.of(failedAt.plus(clamp(asked.get())));
        }
        Duration base = DELAYS.get(attempt - 1);
        double factor = 1 + (random.nextDouble() * 2 - 1) * JITTER;
        return Optional.of(failedAt.plusMillis(Math.round(base.toMillis() * factor)));
    }

    /** Retry-After as delay-seconds or an HTTP date (RFC 9110 10.2.3); empty when absent or unreadable. */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.strip();
        if (trimmed.chars().allMatch(Character::isDigit)) {
            return trimmed.length() > 9 ? Optional.of(MAX_RETRY_AFTER)
                    : Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                    .toInstant();
            return Optional.of(Duration.between(now, at));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration clamp(Duration delay) {
        if (delay.compareTo(MIN_RETRY_AFTER) < 0) {
            return MIN_RETRY_AFTER;
        }
        return delay.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : delay;
    }
}
