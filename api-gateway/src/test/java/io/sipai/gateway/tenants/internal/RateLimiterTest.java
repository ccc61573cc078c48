package io.sipai.gateway.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Each gateway instance enforces its share of a key's limit, so the deployment as a whole gives the key its limit. */
class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void oneInstanceLetsTheWholeBurstThroughThenRefills() {
        // given 10 requests/s with a burst of 10 on a single instance
        RateLimiter limiter = new RateLimiter(10, 10, () -> 1);
        // when / then
        assertThat(admitted(limiter, "k", 0, 20)).isEqualTo(10);
        assertThat(admitted(limiter, "k", SECOND, 20)).isEqualTo(10);
    }

    @Test
    void twoInstancesEachTakeHalfOfTheRateAndTheBurst() {
        // given the same limit with two gateway instances running
        RateLimiter limiter = new RateLimiter(10, 10, () -> 2);
        // when a burst reaches this instance
        int burst = admitted(limiter, "k", 0, 20);
        // then it lets half through, refills at half the rate and asks the caller to wait
        assertThat(burst).isEqualTo(5);
        assertThat(limiter.acquire("k", 0)).isEqualTo(1);
        assertThat(admitted(limiter, "k", SECOND, 20)).isEqualTo(5);
    }

    @Test
    void theShareFollowsTheInstanceCountAndNeverDropsBelowOneRequest() {
        // given a burst of 4 and first 8 instances, then 1
        AtomicInteger instances = new AtomicInteger(8);
        RateLimiter limiter = new RateLimiter(4, 4, instances::get);
        // then a share smaller than one request still admits one
        assertThat(admitted(limiter, "a", 0, 5)).isEqualTo(1);
        // when the other instances are gone
        instances.set(1);
        // then a fresh key gets the whole burst again
        assertThat(admitted(limiter, "b", 0, 10)).isEqualTo(4);
    }

    private static int admitted(RateLimiter limiter, String key, long nowNanos, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.acquire(key, nowNanos) == 0) {
                admitted++;
            }
        }
        return admitted;
    }
}
