package io.sipai.dispatcher.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The share an instance may open per endpoint as instances come and go, step by step on a controlled clock: nothing
 * before it runs, everything when alone, its rank's share with others, a hold for a newcomer that finds others,
 * nothing while the last successful count is too old to be trusted.
 */
class DispatcherInstancesTest {

    private static final int CAP = 4;
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Duration VALIDITY = Duration.ofSeconds(7);
    private static final Duration HOLD = Duration.ofSeconds(25);
    private static final Duration RAISE_DELAY = Duration.ofSeconds(12);
    private static final String SELF = "dispatcher-a-StreamThread-1-consumer";
    private static final String OTHER = "dispatcher-b-StreamThread-1-consumer";

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<String> members = new ArrayList<>();
    private final AtomicInteger counts = new AtomicInteger();
    private volatile boolean reachable = true;
    private volatile LocalStreams local = LocalStreams.NONE;
    private final DispatcherInstances instances = new DispatcherInstances(() -> {
        counts.incrementAndGet();
        if (!reachable) {
            throw new IllegalStateException("coordinator unreachable");
        }
        return List.copyOf(members);
    }, CAP, REFRESH, VALIDITY, HOLD, RAISE_DELAY, nanos::get).watch(() -> local);

    private void running(String... tasks) {
        members.add(SELF);
        local = new LocalStreams(1, true, Set.of(SELF), Set.of(tasks));
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void givenAStreamsClientNotRunningYet_thenNothingMayBeOpened() {
        // given / when
        instances.poll();

        // then
        assertThat(instances.getAsInt()).isZero();
    }

    @Test
    void givenAnInstanceAloneInTheGroup_whenItRuns_thenItOpensTheWholeCapAtOnce() {
        // given
        running("0_0", "0_1");

        // when
        instances.poll();

        // then
        assertThat(instances.getAsInt()).isEqualTo(CAP);
        assertThat(instances.membership()).isEqualTo(Membership.ALONE);
    }

    @Test
    void givenANewcomerThatFindsAnotherInstance_thenItHoldsForTheWholeHoldThenOpensItsShare() {
        // given another instance already running
        members.add(OTHER);

        // when this one runs
        running("0_1");
        instances.poll();

        // then it opens nothing until the hold is over, then half the cap (rank 0 of 2)
        assertThat(instances.getAsInt()).isZero();
        advance(HOLD.minusMillis(1));
        instances.poll();
        assertThat(instances.getAsInt()).isZero();
        advance(Duration.ofMillis(1));
        instances.poll();
        assertThat(instances.getAsInt()).isEqualTo(CAP / 2);
    }

    @Test
    void givenARunningInstance_whenAnotherJoinsAndItsTasksChange_thenItCountsAtOnceAndHalvesItsShare() {
        // given an instance alone with two tasks
        running("0_0", "0_1");
        instances.poll();
        int before = counts.get();

        // when another joins and takes a task (a rebalance), well before the next periodic count
        members.add(OTHER);
        local = new LocalStreams(1, true, Set.of(SELF), Set.of("0_0"));
        advance(Duration.ofMillis(100));
        instances.poll();

        // then it counted again at once and opens its share only
        assertThat(counts.get()).isEqualTo(before + 1);
        assertThat(instances.getAsInt()).isEqualTo(CAP / 2);
    }

    @Test
    void givenTwoInstances_whenTheOtherLeavesTheGroup_thenTheWholeCapComesBackOneRequestTimeAfterTheCount() {
        // given two instances past the hold
        members.add(OTHER);
        running("0_0");
        instances.poll();
        advance(HOLD);
        instances.poll();
        assertThat(instances.getAsInt()).isEqualTo(CAP / 2);

        // when the other's membership ends (it stopped, or its session timed out) and a refresh passes
        members.remove(OTHER);
        advance(REFRESH);
        instances.poll();

        // then the whole cap comes back one request time later, once what the other had open has ended
        assertThat(instances.getAsInt()).isEqualTo(CAP / 2);
        advance(RAISE_DELAY.minusMillis(1));
        instances.poll();
        assertThat(instances.getAsInt()).isEqualTo(CAP / 2);
        advance(Duration.ofMillis(1));
        instances.poll();
        assertThat(instances.getAsInt()).isEqualTo(CAP);
    }

    @Test
    void givenAGroupThatCannotBeCounted_whenTheInstanceRuns_thenItOpensNothingUntilACountSucceeds() {
        // given
        reachable = false;

        // when
        running("0_0");
        instances.poll();
        advance(HOLD);
        instances.poll();

        // then
        assertThat(instances.getAsInt()).isZero();
        reachable = true;
        advance(REFRESH);
        instances.poll();
        assertThat(instances.getAsInt()).isEqualTo(CAP);
    }

    @Test
    void givenAnInstanceAloneWhoseCountsStartFailing_whenANewcomerEndsItsHold_thenTheOldInstanceOpensNothing() {
        // given an instance alone with the whole cap
        running("0_0", "0_1");
        instances.poll();
        assertThat(instances.getAsInt()).isEqualTo(CAP);

        // when its counts fail from now on (a loaded machine, a coordinator moving) and a newcomer joins
        reachable = false;
        members.add(OTHER);
        local = new LocalStreams(1, true, Set.of(SELF), Set.of("0_0"));
        instances.poll();
        advance(VALIDITY);

        // then the whole cap is still trusted up to the count's validity, and nothing after it, long before the
        // newcomer's hold ends, without the background thread stepping again (it may be stuck in a count)
        assertThat(instances.getAsInt()).isEqualTo(CAP);
        advance(Duration.ofMillis(1));
        assertThat(instances.getAsInt()).isZero();

        // and once a count succeeds it opens its share of two
        reachable = true;
        advance(REFRESH);
        instances.poll();
        assertThat(instances.getAsInt()).isEqualTo(CAP / 2);
    }

    @Test
    void givenANewStreamsClientInTheSameProcess_whenItRuns_thenItIsTreatedAsANewcomerAgain() {
        // given an instance past its hold beside another
        members.add(OTHER);
        running("0_0");
        instances.poll();
        advance(HOLD);
        instances.poll();
        assertThat(instances.getAsInt()).isEqualTo(CAP / 2);

        // when its Streams client is replaced (stop and start) and the new one runs
        local = new LocalStreams(2, true, Set.of(SELF), Set.of("0_0"));
        instances.poll();

        // then it holds again
        assertThat(instances.getAsInt()).isZero();
    }
}
