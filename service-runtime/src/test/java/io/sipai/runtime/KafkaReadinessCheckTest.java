package io.sipai.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import io.sipai.schemas.Topics;
import io.sipai.testing.MutableClock;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;

/** Readiness follows acknowledged writes to the probe topic, on the JVM's real broker. */
class KafkaReadinessCheckTest {

    @Test
    void anInstanceIsReadyWhileItsProbesAreAcknowledgedAndNotOnceTheLastIsStale() {
        // given
        MutableClock clock = new MutableClock(Instant.now());
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
