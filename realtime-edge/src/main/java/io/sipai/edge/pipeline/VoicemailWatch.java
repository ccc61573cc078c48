package io.sipai.edge.pipeline;

import java.util.concurrent.ScheduledFuture;

import io.sipai.config.VoicemailAction;
import io.sipai.config.VoicemailSettings;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.voicemail.BeepDetector;
import io.sipai.edge.voicemail.GreetingClassifier;

/**
 * Answering machine detection of one outbound call whose agent asks for it, beside the conversation (the agent
 * greets as usual, a person waits for nothing): the called party's first words and how long they run
 * ({@link GreetingClassifier}), and a beep in their audio ({@link BeepDetector}). A person's short answer ends the
 * verdict; a machine stops the agent, and the call either ends at once or, to leave a message, once the beep was heard
 * (or {@link #BEEP_WAIT_MS} passed without one) the message is said and the call ends. A beep heard in the first
 * {@link #WATCH_MS} is a machine's even after a short greeting passed for a person's. Audio comes from the connection's thread; everything else runs on the call's actor.
 */
final class VoicemailWatch {

    /** How long the caller's audio is listened to for a beep. */
    static final long WATCH_MS = 30_000;
    /** How long a machine's beep is waited for before the message is said anyway. */
    static final long BEEP_WAIT_MS = 8_000;

    /** What the conversation does when the watch decides. */
    interface Actions {
        /** A machine answered: stop talking to it. */
        void machine(String method, String detail, String action);

        /** Say the voicemail message now (after the beep, or after waiting for one). */
        void leaveMessage(String message, boolean beepHeard);

        /** End the call as VOICEMAIL. */
        void hangUpOnMachine(String detail);
    }

    private enum State { LISTENING, HUMAN, MACHINE, DONE }

    private final VoicemailSettings settings;
    private final CallActor actor;
    private final Actions actions;
    private final long beepWaitMs;
    private final BeepDetector beeps = new BeepDetector();
    private final GreetingClassifier greetings = new GreetingClassifier();
    private volatile State state = State.LISTENING;
    private volatile boolean beepHeard;
    private long speechStartMs = -1;
    private long firstSpeechMs = -1;
    private ScheduledFuture<?> beepWait;

    VoicemailWatch(VoicemailSettings settings, CallActor actor, Actions actions) {
        this(settings, actor, actions, BEEP_WAIT_MS);
    }

    VoicemailWatch(VoicemailSettings settings, CallActor actor, Actions actions, long beepWaitMs) {
        this.settings = settings;
        this.actor = actor;
        this.actions = actions;
        this.beepWaitMs = beepWaitMs;
    }

    /** Whether a machine answered: the conversation stops listening to it. */
    /** Whether it has not decided yet: the first words go whole to the classifier, not cut at a pause. */
    boolean deciding() {
        return state == State.LISTENING;
    }

    boolean machine() {
        State now = state;
        return now == State.MACHINE || now == State.DONE;
    }

    /** A caller frame, on the connection's thread. */
    void audio(short[] frame, int length, long offsetMs) {
        if (state == State.DONE || offsetMs > WATCH_MS) {
            return;
        }
        // Even after a person seemed to answer: a short recorded greeting ("Hi, it's Ann") is told by its beep.
        BeepDetector.Beep beep = beeps.accept(frame, length);
        if (beep != null) {
            actor.execute(() -> beep(beep));
        }
    }

    /** The called party started speaking; on the actor. */
    void speechStarted(long offsetMs) {
        if (speechStartMs < 0) {
            speechStartMs = offsetMs;
        }
    }

    /** Their speech paused; on the actor. A first utterance that ran on for seconds is a recorded greeting. */
    void speechEnded(long offsetMs) {
        if (speechStartMs < 0 || firstSpeechMs >= 0) {
            return;
        }
        firstSpeechMs = offsetMs - speechStartMs;
        if (!machine() && firstSpeechMs >= GreetingClassifier.MACHINE_SPEECH_MS) {
            detected("greeting-length", firstSpeechMs + " ms of speech before the first pause");
        }
    }

    /**
     * What they said first (a final transcript); on the actor. Only the first utterance is judged by its words: a
     * person saying "I'm not available tomorrow" later in the call is still a person.
     */
    void heard(String text) {
        if (state != State.LISTENING) {
            return;
        }
        // Without its length yet (the transcript came before the pause), the words alone decide.
        long spoken = Math.max(0, firstSpeechMs);
        if (greetings.classify(text, spoken) == GreetingClassifier.Verdict.MACHINE) {
            detected("greeting", text);
        } else {
            state = State.HUMAN;
        }
    }

    /** The message was said; on the actor. */
    void messageLeft() {
        actions.hangUpOnMachine("voicemail left");
    }

    void close() {
        state = State.DONE;
        if (beepWait != null) {
            beepWait.cancel(false);
        }
    }

    private void beep(BeepDetector.Beep beep) {
        beepHeard = true;
        if (state == State.LISTENING || state == State.HUMAN) {
            // A beep with nobody talking over it is a machine's, whatever the greeting seemed.
            detected("beep", beep.frequencyHz() + " Hz for " + beep.lengthMs() + " ms");
        } else if (state == State.MACHINE && beepWait != null) {
            beepWait.cancel(false);
            speak();
        }
    }

    private void detected(String method, String detail) {
        state = State.MACHINE;
        boolean leave = settings.getAction() == VoicemailAction.LEAVE_MESSAGE && settings.getMessage() != null
                && !settings.getMessage().isBlank();
        actions.machine(method, detail, leave ? "leave_message" : "hangup");
        if (!leave) {
            state = State.DONE;
            actions.hangUpOnMachine("answering machine (" + method + ")");
        } else if (beepHeard) {
            speak();
        } else {
            beepWait = actor.schedule(this::speak, beepWaitMs);
        }
    }

    private void speak() {
        if (state != State.MACHINE) {
            return;
        }
        state = State.DONE;
        actions.leaveMessage(settings.getMessage(), beepHeard);
    }
}
