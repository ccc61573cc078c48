package io.sipai.system.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.common.EndReason;
import io.sipai.testing.events.Events;

/**
 * Callers of one tenant competing for its few slots, as api-gateway asks admission: each caller sends an
 * AcquireSlot for a new call and waits for the decision (sending the acquire again with a new commandId when none
 * comes in time, as a requester that gave up would); a granted call is held briefly and then released, half of
 * them by a ReleaseSlot command and half by a CallEnded event that the processors' release bridge turns into one;
 * a refused caller tries again shortly.
 */
public final class AdmissionRace {

    public static final String TENANT = "race";
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final Inputs inputs;
    private final Outputs outputs;
    private final String run;
    private final List<Thread> callers = new ArrayList<>();
    private final AtomicInteger granted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private volatile boolean running = true;

    public AdmissionRace(Inputs inputs, Outputs outputs, String run) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.run = run;
    }

    /** Starts {@code count} callers. */
    public void start(int count) {
        for (int i = 0; i < count; i++) {
            int caller = i;
            callers.add(Thread.ofVirtual().name("caller-" + i).start(() -> call(caller)));
        }
    }

    public int granted() {
        return granted.get();
    }

    public int rejected() {
        return rejected.get();
    }

    private void call(int caller) {
        for (int n = 0; running; n++) {
            String callId = run + "-race-" + caller + "-" + n;
            AdmissionDecision decision = acquire(callId);
            if (decision == null) {
                return;
            }
            if (decision.getOutcome() instanceof Granted) {
                granted.incrementAndGet();
                pause(200, 1_200);
                if (n % 2 == 0) {
                    inputs.send(Events.release(callId, TENANT, null));
                } else {
                    inputs.send(Events.eventNow(callId, TENANT, Events.ended(EndReason.CALLER_HANGUP)));
                }
            } else {
                rejected.incrementAndGet();
                pause(100, 300);
            }
        }
    }

    /** The decision on the call, asking again while none comes; null once stopped without one. */
    private AdmissionDecision acquire(String callId) {
        while (running) {
            AdmissionCommand acquire = Events.acquire(callId, TENANT, null);
            var decision = outputs.decisionFor(acquire.getCommandId());
            inputs.send(acquire);
            try {
                return decision.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Ask again: a known call gets the decision it already has.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    private static void pause(int minMs, int maxMs) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(minMs, maxMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops asking; a caller holding a slot still releases it. */
    public void stop() throws InterruptedException {
        running = false;
        for (Thread caller : callers) {
            caller.join(Duration.ofSeconds(30));
        }
        inputs.flush();
    }
}
