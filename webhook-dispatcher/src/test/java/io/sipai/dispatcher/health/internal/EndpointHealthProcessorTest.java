package io.sipai.dispatcher.health.internal;

import static io.sipai.dispatcher.testing.DispatcherDriver.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.sipai.dispatcher.delivery.Attempts;
import io.sipai.dispatcher.testing.DispatcherDriver;
import io.sipai.webhook.AttemptOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoint health on the TopologyTestDriver, given/when/then, with the clock under the test's control: a 410
 * disables at once; failures for the whole 5-day window disable with a notice saying why; a success, or an attempt
 * that made no request, does not let a streak run on.
 */
class EndpointHealthProcessorTest {

    private static final Duration ALMOST_FIVE_DAYS = EndpointHealthProcessor.FAILING_LIMIT.minusMinutes(1);

    private final DispatcherDriver dispatcher = new DispatcherDriver();

    @AfterEach
    void close() {
        dispatcher.close();
    }

    @Test
    void aGoneEndpointIsDisabledAtOnceWithTheSubscriptionsNextVersionAndOnlyOnce() {
        // given an enabled subscription, version 1
        dispatcher.subscribe("sub-1");

        // when the worker records a 410 for it, twice
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.ENDPOINT_DISABLED, "410 Gone"));
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.ENDPOINT_DISABLED, "410 Gone"));

        // then the subscription is written once, disabled, as version 2; the 410 itself is the notice
        assertThat(dispatcher.subscriptionUpdates()).singleElement().satisfies(disabled -> {
            assertThat(disabled.getSubscriptionId()).isEqualTo("sub-1");
            assertThat(disabled.getEnabled()).isFalse();
            assertThat(disabled.getVersion()).isEqualTo(2);
            assertThat(disabled.getUpdatedAt()).isEqualTo(dispatcher.now());
        });
        assertThat(dispatcher.attemptRecords()).isEmpty();
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabledWithAnAttemptRecordSayingWhy() {
        // given an endpoint that has failed for almost five days
        dispatcher.subscribe("sub-1");
        Instant first = dispatcher.now();
        dispatcher.attempt(failure("sub-1", first, AttemptOutcome.RETRYING, "HTTP 500"));
        dispatcher.advance(ALMOST_FIVE_DAYS);
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.RETRYING, "HTTP 500"));
        assertThat(dispatcher.subscriptionUpdates()).isEmpty();

        // when it fails once more, five days after the first failure
        dispatcher.advance(Duration.ofMinutes(1));
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.DEAD_LETTERED, "HTTP 502"));

        // then it is disabled, with an ENDPOINT_DISABLED attempt that names the streak and the last error
        assertThat(dispatcher.subscriptionUpdates()).singleElement()
                .satisfies(disabled -> assertThat(disabled.getEnabled()).isFalse());
        assertThat(dispatcher.attemptRecords()).singleElement().satisfies(notice -> {
            assertThat(notice.getOutcome()).isEqualTo(AttemptOutcome.ENDPOINT_DISABLED);
            assertThat(notice.getAttemptId()).isEqualTo(EndpointHealthProcessor.NOTICE_PREFIX + "sub-1/2");
            assertThat(notice.getError()).contains("every attempt since " + first).contains("HTTP 502")
                    .contains("5 days");
        });
    }

    @Test
    void aDeliveryEndsTheFailureStreakSoTheWindowStartsAgainAtTheNextFailure() {
        // given an endpoint that failed, then delivered three days later
        dispatcher.subscribe("sub-1");
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.RETRYING, "HTTP 500"));
        dispatcher.advance(Duration.ofDays(3));
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.DELIVERED, null));

        // when it fails again until five days after its first failure, and almost five days after the new one
        dispatcher.advance(Duration.ofDays(2));
        Instant restart = dispatcher.now();
        dispatcher.attempt(failure("sub-1", restart, AttemptOutcome.RETRYING, "HTTP 500"));
        dispatcher.advance(ALMOST_FIVE_DAYS);
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.RETRYING, "HTTP 500"));

        // then it stays enabled; and once the new streak is five days long, it is disabled
        assertThat(dispatcher.subscriptionUpdates()).isEmpty();
        dispatcher.advance(Duration.ofMinutes(1));
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.RETRYING, "HTTP 500"));
        assertThat(dispatcher.subscriptionUpdates()).singleElement()
                .satisfies(disabled -> assertThat(disabled.getEnabled()).isFalse());
    }

    @Test
    void attemptsThatMadeNoRequestDoNotCountAsFailures() {
        // given a subscription
        dispatcher.subscribe("sub-1");

        // when, for six days, the only attempts are ones that made no request (endpoint unavailable)
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.DEAD_LETTERED,
                Attempts.ENDPOINT_UNAVAILABLE));
        dispatcher.advance(Duration.ofDays(6));
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.DEAD_LETTERED,
                Attempts.ENDPOINT_UNAVAILABLE));

        // then the endpoint is not disabled
        assertThat(dispatcher.subscriptionUpdates()).isEmpty();
        assertThat(dispatcher.attemptRecords()).isEmpty();
    }
}
