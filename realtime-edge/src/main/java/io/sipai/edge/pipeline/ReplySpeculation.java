package io.sipai.edge.pipeline;

import java.util.Locale;

import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.brain.AgentBrain.BrainInput;
import io.sipai.edge.endpointing.Utterances;

/**
 * Speculative replies of one call, for {@link CallConversation}: when the recognizer is asked for the turn's final
 * while the agent is silent, and the words heard so far (the turn's finals and the latest partial) read as a finished
 * utterance (or the turn ends at this silence anyway), the brain starts its reply on them at once, so that its first
 * tokens overlap the recognizer's finalization. The turn's final words confirm it when they are the same words (case
 * and punctuation aside); anything else drops it: other words, the caller speaking again, a key press or typed text,
 * the end of the call. Nothing of a dropped speculation reaches the caller or the dialog
 * ({@link AgentBrain.Conversation#speculate}). Off with {@code VOICE_SPECULATIVE_REPLIES=false}. Used on the call's
 * actor only.
 */
final class ReplySpeculation {

    private final boolean enabled;
    private final EngineMeters meters;
    private AgentBrain.Conversation brain;
    private AgentBrain.Speculation pending;
    private String pendingWords;

    ReplySpeculation(boolean enabled, EngineMeters meters) {
        this.enabled = enabled;
        this.meters = meters;
    }

    /** The call's dialog, once started. */
    void start(AgentBrain.Conversation conversation) {
        this.brain = conversation;
    }

    /**
     * The turn's final was asked for: speculate on {@code words} if they are finished, or {@code ending} (the turn
     * ends with this final whatever its words), and the agent is silent.
     */
    void finalizing(String words, boolean ending, boolean agentSilent) {
        if (!enabled || brain == null || !agentSilent || words.isBlank()
                || !ending && !Utterances.complete(words)) {
            return;
        }
        if (pending != null && same(words, pendingWords)) {
            return;
        }
        cancel();
        pending = brain.speculate(new BrainInput.UserText(words));
        pendingWords = words;
    }

    /** The reply to {@code input}: the speculation's when it was on these words, else null (respond as usual). */
    AgentBrain.Reply take(BrainInput input, AgentBrain.ReplyListener listener) {
        AgentBrain.Speculation speculation = pending;
        if (speculation == null) {
            return null;
        }
        pending = null;
        if (input instanceof BrainInput.UserText user && same(user.text(), pendingWords)) {
            AgentBrain.Reply reply = speculation.confirm(listener);
            meters.speculation(reply != null);
            return reply;
        }
        speculation.cancel();
        meters.speculation(false);
        return null;
    }

    /** Drops the speculation in progress, if any. */
    void cancel() {
        if (pending != null) {
            pending.cancel();
            pending = null;
            meters.speculation(false);
        }
    }

    /** The same words: case, punctuation and spacing aside. */
    static boolean same(String a, String b) {
        return words(a).equals(words(b));
    }

    private static String words(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]+", " ").strip().replaceAll("\\s+", " ");
    }
}
