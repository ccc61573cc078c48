package io.sipai.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;

/** Readiness follows acknowledged writes to the probe topic, on the JVM's real broker. */
class KafkaReadinessCheckTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }
    }

    @Test
    void anInstanceIsReadyWhileItsProbesAreAcknowledgedAndNotOnceTheLastIsStale() {
        // given
        MovableClock clock = new MovableClock();
        try (KafkaReadinessCheck check = new KafkaReadinessCheck(KafkaSettings.plaintext(TestKafka.brokers()),
                clock)) {
            // when the first probe is acknowledged, then it is ready and the probe is on the topic
            await().atMost(Duration.ofSeconds(30)).until(check::ready);
            assertThat(TestKafka.readAll(Topics.SERVICE_HEALTH)).isNotEmpty();
            // when no acknowledgement is younger than the staleness limit, then it is not ready
            clock.advance(Duration.ofMillis(KafkaReadinessCheck.STALE_MS + 1_000));
            assertThat(check.ready()).isFalse();
            // and the next acknowledged probe makes it ready again
            await().atMost(Duration.ofSeconds(20)).until(check::ready);
        }
    }
}
