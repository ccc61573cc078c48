package io.sipai.edge.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call's actor runs its tasks in order, and once the node has shut its executors down (context close, after the
 * drain) late callbacks are dropped instead of thrown at the vendor or engine thread that delivered them.
 */
class CallActorTest {

    private final ExecutorService actors = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void shutDown() {
        actors.shutdownNow();
        timers.shutdownNow();
    }

    @Test
    void tasksRunOneAfterAnotherInSubmissionOrder() throws Exception {
        CallActor actor = new CallActor(actors, timers);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            int n = i;
            actor.execute(() -> {
                ran.add(n);
                done.countDown();
            });
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isSorted().hasSize(100);
    }

    @Test
    void givenTheNodesExecutorsShutDown_whenALateCallbackArrives_thenItIsDroppedWithoutThrowing() {
        CallActor actor = new CallActor(actors, timers);
        actors.shutdownNow();
        timers.shutdownNow();
        List<String> ran = new CopyOnWriteArrayList<>();

        assertThatCode(() -> actor.execute(() -> ran.add("late"))).doesNotThrowAnyException();
        assertThatCode(() -> actor.execute(() -> ran.add("later"))).doesNotThrowAnyException();
        ScheduledFuture<?> timer = actor.schedule(() -> ran.add("timer"), 10);

        assertThat(timer.isCancelled()).isTrue();
        assertThatCode(() -> timer.cancel(false)).doesNotThrowAnyException();
        assertThat(ran).isEmpty();
    }
}
