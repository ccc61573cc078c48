package io.sipai.dispatcher.scheduling.internal;

import static io.sipai.dispatcher.testing.DispatcherDriver.IN_FLIGHT_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.sipai.dispatcher.delivery.DeliveryJob;
import io.sipai.dispatcher.testing.DispatcherDriver;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery scheduler on the TopologyTestDriver, given/when/then, with the clock under the test's control:
 * one queue per (subscription, call), runs handed to the worker in order, retry timers, the lost-result deadline
 * and dead letters.
 */
class DispatchProcessorTest {

    private final DispatcherDriver dispatcher = new DispatcherDriver();

    @AfterEach
    void close() {
        dispatcher.close();
    }

    private static List<String> ids(DeliveryJob job) {
        return job.deliveries().stream().map(WebhookDelivery::getWebhookId).toList();
    }

    @Test
    void aCallsNextDeliveryWaitsForTheOneInFlightWhileOtherCallsAreNotHeldBack() {
        // given a subscription
        dispatcher.subscribe("sub-1");

        // when call A has two deliveries and call B one
        WebhookDelivery a1 = dispatcher.deliver("sub-1", "call-a");
        WebhookDelivery a2 = dispatcher.deliver("sub-1", "call-a");
        WebhookDelivery b1 = dispatcher.deliver("sub-1", "call-b");

        // then A's first and B's first go out at once, each alone, with the endpoint as configured
        List<DeliveryJob> first = dispatcher.takeJobs();
        assertThat(first).extracting(DispatchProcessorTest::ids)
                .containsExactly(List.of(a1.getWebhookId()), List.of(b1.getWebhookId()));
        assertThat(first).allSatisfy(job -> assertThat(job.subscription().getSubscriptionId()).isEqualTo("sub-1"));

        // and when A's first is delivered, A's second goes out
        dispatcher.result(first.getFirst(), 0, AttemptOutcome.DELIVERED, null, null);
        assertThat(dispatcher.takeJobs()).extracting(DispatchProcessorTest::ids)
                .containsExactly(List.of(a2.getWebhookId()));
    }

    @Test
    void aFailedHeadWaitsForItsRetryTimerThenGoesOutWithEverythingQueuedBehindItInOrder() {
        // given a delivery that failed and is to be retried in 5 s, and two more of its call queued meanwhile
        dispatcher.subscribe("sub-1");
        WebhookDelivery a1 = dispatcher.deliver("sub-1", "call-a");
        DeliveryJob first = dispatcher.takeJobs().getFirst();
        dispatcher.result(first, 0, AttemptOutcome.RETRYING, "HTTP 500", dispatcher.now().plusSeconds(5));
        WebhookDelivery a2 = dispatcher.deliver("sub-1", "call-a");
        WebhookDelivery a3 = dispatcher.deliver("sub-1", "call-a");

        // when time passes, short of the timer
        dispatcher.advance(Duration.ofMillis(4_900));

        // then nothing is sent
        assertThat(dispatcher.takeJobs()).isEmpty();

        // and when the timer comes due, one run carries the head (second attempt) and the queue, in order
        dispatcher.advance(Duration.ofMillis(200));
        DeliveryJob retry = dispatcher.takeJobs().getFirst();
        assertThat(ids(retry)).containsExactly(a1.getWebhookId(), a2.getWebhookId(), a3.getWebhookId());
        assertThat(retry.attemptNumber(0)).isEqualTo(2);
        assertThat(retry.deliveries().getFirst().getLastError()).isEqualTo("HTTP 500");
        assertThat(retry.attemptNumber(1)).isEqualTo(1);
    }

    @Test
    void aRunStopsAtItsFirstFailureAndOnlyTheUndeliveredRestIsSentAgain() {
        // given a run of three deliveries in flight
        dispatcher.subscribe("sub-1");
        dispatcher.deliver("sub-1", "call-a");
        DeliveryJob single = dispatcher.takeJobs().getFirst();
        dispatcher.result(single, 0, AttemptOutcome.RETRYING, "HTTP 503", dispatcher.now().plusSeconds(1));
        WebhookDelivery a2 = dispatcher.deliver("sub-1", "call-a");
        WebhookDelivery a3 = dispatcher.deliver("sub-1", "call-a");
        dispatcher.advance(Duration.ofSeconds(1));
        DeliveryJob run = dispatcher.takeJobs().getFirst();
        assertThat(run.deliveries()).hasSize(3);

        // when the first is delivered and the second fails
        dispatcher.result(run, 0, AttemptOutcome.DELIVERED, null, null);
        dispatcher.result(run, 1, AttemptOutcome.RETRYING, "HTTP 500", dispatcher.now().plusSeconds(5));
        assertThat(dispatcher.takeJobs()).isEmpty();
        dispatcher.advance(Duration.ofSeconds(5));

        // then the failed one and the one behind it go out again, and the delivered one never again
        assertThat(dispatcher.takeJobs()).extracting(DispatchProcessorTest::ids)
                .containsExactly(List.of(a2.getWebhookId(), a3.getWebhookId()));
    }

    @Test
    void aRunWhoseResultNeverArrivesIsSentAgainAfterTheInFlightTimeoutAndItsLateResultIsIgnored() {
        // given a delivery in flight
        dispatcher.subscribe("sub-1");
        WebhookDelivery a1 = dispatcher.deliver("sub-1", "call-a");
        DeliveryJob lost = dispatcher.takeJobs().getFirst();

        // when no result arrives within the in-flight timeout
        dispatcher.advance(IN_FLIGHT_TIMEOUT.minusSeconds(1));
        assertThat(dispatcher.takeJobs()).isEmpty();
        dispatcher.advance(Duration.ofSeconds(1));

        // then it is handed to the worker again as a new run
        DeliveryJob again = dispatcher.takeJobs().getFirst();
        assertThat(ids(again)).containsExactly(a1.getWebhookId());
        assertThat(again.runId()).isNotEqualTo(lost.runId());

        // and the first run's late result changes nothing: the second run's result is still awaited
        WebhookDelivery a2 = dispatcher.deliver("sub-1", "call-a");
        dispatcher.result(lost, 0, AttemptOutcome.DELIVERED, null, null);
        assertThat(dispatcher.takeJobs()).isEmpty();
        dispatcher.result(again, 0, AttemptOutcome.DELIVERED, null, null);
        assertThat(dispatcher.takeJobs()).extracting(DispatchProcessorTest::ids)
                .containsExactly(List.of(a2.getWebhookId()));
    }

    @Test
    void anExhaustedDeliveryIsDeadLetteredWithItsAttemptsAndErrorAndTheNextOfItsCallGoesOut() {
        // given two deliveries of one call, the first in flight
        dispatcher.subscribe("sub-1");
        WebhookDelivery a1 = dispatcher.deliver("sub-1", "call-a");
        WebhookDelivery a2 = dispatcher.deliver("sub-1", "call-a");
        DeliveryJob first = dispatcher.takeJobs().getFirst();

        // when the worker gives up on the first
        dispatcher.result(first, 0, AttemptOutcome.DEAD_LETTERED, "HTTP 500", null);

        // then it is dead-lettered, and the second is sent
        assertThat(dispatcher.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.getWebhookId()).isEqualTo(a1.getWebhookId());
            assertThat(dead.getAttempts()).isEqualTo(1);
            assertThat(dead.getLastError()).isEqualTo("HTTP 500");
        });
        assertThat(dispatcher.takeJobs()).extracting(DispatchProcessorTest::ids)
                .containsExactly(List.of(a2.getWebhookId()));
    }
}
