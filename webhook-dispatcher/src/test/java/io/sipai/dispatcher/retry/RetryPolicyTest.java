package io.sipai.dispatcher.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The retry schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h with +-20 % jitter, then dead letter. */
class RetryPolicyTest {

    private static final Instant FAILED_AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void eachFailedAttemptWaitsItsScheduledDelayWithinTwentyPercent() {
        RetryPolicy policy = new RetryPolicy(new SplittableRandom(42));
        for (int attempt = 1; attempt < RetryPolicy.MAX_ATTEMPTS; attempt++) {
            for (int sample = 0; sample < 200; sample++) {
                Duration delay = Duration.between(FAILED_AT,
                        policy.nextAttemptAt(attempt, FAILED_AT, null).orElseThrow());
                long base = RetryPolicy.DELAYS.get(attempt - 1).toMillis();
                assertThat(delay.toMillis()).isBetween(Math.round(base * 0.8), Math.round(base * 1.2));
            }
        }
    }

    @Test
    void theScheduleIsTheSvixOne() {
        assertThat(RetryPolicy.DELAYS).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
                Duration.ofHours(10));
        assertThat(RetryPolicy.MAX_ATTEMPTS).isEqualTo(8);
    }

    @Test
    void theEighthFailureExhaustsTheRetries() {
        assertThat(new RetryPolicy(new SplittableRandom(1)).nextAttemptAt(8, FAILED_AT, null)).isEmpty();
    }

    @Test
    void retryAfterSecondsReplacesTheScheduleExactly() {
        Instant next = new RetryPolicy(new SplittableRandom(1)).nextAttemptAt(1, FAILED_AT, "120").orElseThrow();
        assertThat(next).isEqualTo(FAILED_AT.plusSeconds(120));
    }

    @Test
    void retryAfterAsHttpDateIsHonoured() {
        Instant next = new RetryPolicy(new SplittableRandom(1))
                .nextAttemptAt(2, FAILED_AT, "Thu, 01 Jan 2026 00:10:00 GMT").orElseThrow();
        assertThat(next).isEqualTo(FAILED_AT.plus(Duration.ofMinutes(10)));
    }

    @Test
    void retryAfterIsClampedBothWays() {
        RetryPolicy policy = new RetryPolicy(new SplittableRandom(1));
        assertThat(policy.nextAttemptAt(1, FAILED_AT, "0").orElseThrow())
                .isEqualTo(FAILED_AT.plus(RetryPolicy.MIN_RETRY_AFTER));
        assertThat(policy.nextAttemptAt(1, FAILED_AT, "99999999").orElseThrow())
                .isEqualTo(FAILED_AT.plus(RetryPolicy.MAX_RETRY_AFTER));
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheSchedule() {
        Instant next = new RetryPolicy(new SplittableRandom(1)).nextAttemptAt(1, FAILED_AT, "soon").orElseThrow();
        assertThat(Duration.between(FAILED_AT, next).toMillis()).isBetween(4_000L, 6_000L);
    }
}
