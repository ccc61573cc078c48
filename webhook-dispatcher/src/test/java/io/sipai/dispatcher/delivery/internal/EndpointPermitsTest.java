package io.sipai.dispatcher.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Requests open per endpoint, bounded by a limit that changes while requests wait. */
class EndpointPermitsTest {

    private final AtomicInteger limit = new AtomicInteger(2);
    private final EndpointPermits permits = new EndpointPermits(limit::get);

    private Thread acquiring(String endpoint, CountDownLatch acquired) {
        return Thread.ofVirtual().start(() -> {
            try {
                permits.acquire(endpoint);
                acquired.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void givenAFullEndpoint_thenAnotherRequestWaitsUntilOneEndsWhileOtherEndpointsAreNotHeldBack() throws Exception {
        // given
        permits.acquire("sub-1");
        permits.acquire("sub-1");

        // when
        CountDownLatch third = new CountDownLatch(1);
        acquiring("sub-1", third);
        permits.acquire("sub-2");

        // then
        assertThat(third.await(300, TimeUnit.MILLISECONDS)).isFalse();
        permits.release("sub-1");
        assertThat(third.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(permits.open("sub-1")).isEqualTo(2);
        assertThat(permits.open("sub-2")).isEqualTo(1);
    }

    @Test
    void givenALoweredLimit_thenNoRequestStartsUntilTheOpenOnesAreBelowIt() throws Exception {
        // given two open requests, then the limit drops to one (another instance joined)
        permits.acquire("sub-1");
        permits.acquire("sub-1");
        limit.set(1);

        // when one more wants to start
        CountDownLatch next = new CountDownLatch(1);
        acquiring("sub-1", next);

        // then it waits while one is still open beyond the end of the first
        permits.release("sub-1");
        assertThat(next.await(300, TimeUnit.MILLISECONDS)).isFalse();
        permits.release("sub-1");
        assertThat(next.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void givenAHeldInstance_whenItsLimitRises_thenWaitingRequestsStartWithoutAnyEnding() {
        // given a limit of 0 (a newcomer holding) and two requests waiting
        limit.set(0);
        CountDownLatch started = new CountDownLatch(2);
        acquiring("sub-1", started);
        acquiring("sub-1", started);

        // when the hold ends
        limit.set(2);

        // then both start
        await().atMost(Duration.ofSeconds(2)).until(() -> started.getCount() == 0);
        assertThat(permits.open("sub-1")).isEqualTo(2);
    }
}
