package io.sipai.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.sipai.config.VoicemailAction;
import io.sipai.config.VoicemailSettings;
import io.sipai.edge.pipeline.internal.CallActor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The voicemail watch's decisions, given what the called party said and sent, on a real call actor. */
class VoicemailWatchTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final CallActor actor = new CallActor(Runnable::run, timers);
    private final List<String> actions = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void aMachineGreetingEndsTheCallAtOnceWhenTheAgentLeavesNoMessage() {
        VoicemailWatch watch = watch(VoicemailAction.HANGUP);

        watch.speechStarted(200);
        watch.speechEnded(2_800);
        watch.heard("you have reached the voicemail of john");

        assertThat(actions).containsExactly("machine greeting hangup", "hangup answering machine (greeting)");
        assertThat(watch.machine()).isTrue();
    }

    @Test
    void aMachineGreetingWithoutABeepGetsTheMessageAfterTheWait() {
        VoicemailWatch watch = watch(VoicemailAction.LEAVE_MESSAGE);

        watch.speechStarted(100);
        watch.speechEnded(4_600);

        assertThat(actions).containsExactly("machine greeting-length leave_message");
        await().atMost(Duration.ofSeconds(5)).until(() -> actions.contains("message false"));
        watch.messageLeft();
        assertThat(actions).endsWith("hangup voicemail left");
    }

    @Test
    void aShortGreetingTakenForAPersonIsAMachineOnceItsBeepIsHeard() {
        // given "Hi, it's Ann" (a person, by its words and length)
        VoicemailWatch watch = watch(VoicemailAction.LEAVE_MESSAGE);
        watch.speechStarted(100);
        watch.speechEnded(900);
        watch.heard("hi it's ann");
        assertThat(watch.machine()).isFalse();

        // when its beep follows, then it is a machine, and the message is said at once
        feed(watch, 1_000, 2_000, 0);
        feed(watch, 2_000, 2_400, 1000);
        feed(watch, 2_400, 3_000, 0);

        assertThat(actions).containsExactly("machine beep leave_message", "message true");
    }

    @Test
    void aPersonsLaterWordsAreNotJudged() {
        VoicemailWatch watch = watch(VoicemailAction.HANGUP);
        watch.speechStarted(100);
        watch.speechEnded(700);
        watch.heard("hello");

        watch.heard("sorry i am not available tomorrow, leave a message with my wife");

        assertThat(actions).isEmpty();
        assertThat(watch.machine()).isFalse();
    }

    private VoicemailWatch watch(VoicemailAction action) {
        VoicemailWatch.Actions recorded = new VoicemailWatch.Actions() {
            @Override
            public void machine(String method, String detail, String what) {
                actions.add("machine " + method + " " + what);
            }

            @Override
            public void leaveMessage(String message, boolean beepHeard) {
                actions.add("message " + beepHeard);
            }

            @Override
            public void hangUpOnMachine(String detail) {
                actions.add("hangup " + detail);
            }
        };
        // A short beep wait, so the test that waits it out is quick.
        return new VoicemailWatch(new VoicemailSettings(true, action, "Please call us back."), actor, recorded, 300);
    }

    /** Caller audio from {@code fromMs} to {@code toMs}: a tone of {@code hz}, or silence for 0. */
    private static void feed(VoicemailWatch watch, long fromMs, long toMs, int hz) {
        short[] frame = new short[320];
        for (long at = fromMs; at < toMs; at += 20) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = hz == 0 ? 0 : (short) (0.3 * 32767 * Math.sin(2 * Math.PI * hz * (at * 16 + i) / 16_000.0));
            }
            watch.audio(frame, frame.length, at);
        }
    }
}
